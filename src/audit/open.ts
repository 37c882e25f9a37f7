// Where the audit log goes, from --audit-log: a file, stderr, or off. HTTP
// mode (many people, one server) writes it to stderr unless told otherwise;
// stdio (one person, their own machine) only when asked.
import { appendFileSync } from 'node:fs';
import { ConfigError, type Values } from '../config/config.js';
import { openAuditLog, type AuditSink } from './audit.js';

export function auditSink(values: Values): AuditSink | undefined {
  const dest = values.auditLog ?? (values.http ? 'stderr' : 'off');
  if (dest === 'off') return undefined;
  if (dest !== 'stderr') {
    try {
      // Fails now (exit 2) rather than on the first write.
      appendFileSync(dest, '', { mode: 0o600 });
    } catch (err) {
      throw new ConfigError(
        `--audit-log (AGENT_ENVIRONMENTS_AUDIT_LOG) ${dest.slice(0, 200)}: cannot write it (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  return openAuditLog(dest);
}
