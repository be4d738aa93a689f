/** The fault matrix, one shape per file (test/chaos/matrix/define.ts says what every cell asserts). */
import { defineMatrix } from './matrix/define';
import { SHAPES } from './matrix/shapes';

defineMatrix(SHAPES[1]!);
