/** `npm run test:aws` starts here: a clear message, not a failing suite, when Python with moto is missing. */
import { missingPrerequisites } from './emulator';

const missing = missingPrerequisites();
if (missing) {
  process.stderr.write(`test:aws cannot run: ${missing}\n`);
  process.exit(1);
}
