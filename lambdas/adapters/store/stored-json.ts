/** The JSON the store writes (states, events, history details): credentials redacted (core/redact) on the way in. */
import { redactCredentials } from '../../core/redact';

export const storedJson = (value: unknown): string => redactCredentials(JSON.stringify(value));
