/**
 * A process that recounts one hour of the insights rollup over and over (server/owners/insights/rollup.ts)
 * until it is killed: tests/integration/insights-kill.test.ts SIGKILLs it mid-transaction.
 * Usage: node --import tsx tests/helpers/insights-rollup-child.ts <DATABASE_URL> <hour ISO>
 */
import { resolveDatabaseTarget } from "../../server/db/database-url.ts";
import { InsightsRollup } from "../../server/owners/insights/rollup.ts";
import { openSql } from "../../server/store/sql.ts";
import { VerificationRepository } from "../../server/verification/repository.ts";

const [url, hourIso] = process.argv.slice(2);
const sql = openSql(resolveDatabaseTarget(url!));
const rollup = new InsightsRollup({ sql, source: new VerificationRepository(sql), clock: () => new Date() });
const hour = new Date(hourIso!);
for (let pass = 0; ; pass++) {
  await rollup.computeHour(hour);
  process.stdout.write(`pass ${pass}\n`);
}
