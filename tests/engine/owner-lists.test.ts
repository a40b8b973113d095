/**
 * The owner console's lists (`listRecent`, server/verification/repository.ts) on both databases: each
 * status filter gives that status's newest verifications first, "expired" includes a pending one past its
 * expiry that the sweep has not marked yet, and the limit holds across both of its parts. The plans
 * behind them are tests/engine/query-plans.test.ts's.
 */
import { afterEach, describe, expect, it } from "vitest";
import { providersUnderTest } from "../helpers/databases.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const providers = await providersUnderTest();

describe.each(providers)("owner lists by status [%s]", (provider) => {
  let t: TestRuntime;
  afterEach(() => t?.stop());

  it("lists each status newest first, with overdue pending verifications under expired, within the limit", async () => {
    t = await startTestRuntime(provider);
    const { engine } = t.runtime;
    const create = async (to: string, validFor: number) => {
      const { verification } = await engine.create({ to, validFor });
      t.clock.advance(1);
      return verification.id;
    };
    const swept = await create("+12125550131", 60);
    const canceled = await create("+12125550132", 600);
    await engine.cancel(canceled, { enforceMinimumAge: false });
    t.clock.advance(120);
    // The sweep marks the first as expired; the one created after it is past its expiry too, but unmarked.
    expect((await engine.repo.expireDue(t.clock.now(), 100)).map((v) => v.id)).toEqual([swept]);
    const overdue = await create("+12125550133", 60);
    const pending = await create("+12125550134", 600);
    t.clock.advance(90);

    const list = async (filter: Parameters<typeof engine.repo.listRecent>[0]) => (await engine.repo.listRecent(filter)).map((v) => v.id);
    const now = t.clock.now();
    expect(await list({ limit: 50, now })).toEqual([pending, overdue, canceled, swept]);
    expect(await list({ limit: 50, now, status: "pending" })).toEqual([pending]);
    expect(await list({ limit: 50, now, status: "expired" })).toEqual([overdue, swept]);
    expect(await list({ limit: 1, now, status: "expired" })).toEqual([overdue]);
    expect(await list({ limit: 50, now, status: "canceled" })).toEqual([canceled]);
    expect(await list({ limit: 50, now, status: "expired", surface: "native" })).toEqual([overdue, swept]);
    expect(await list({ limit: 50, now, status: "expired", surface: "twilio" })).toEqual([]);
    expect(await list({ limit: 50, now, testNumber: false })).toEqual([pending, overdue, canceled, swept]);
    expect(await list({ limit: 50, now, testNumber: true })).toEqual([]);
  });
});
