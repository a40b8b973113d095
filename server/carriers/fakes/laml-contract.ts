/**
 * The lookup part of the carrier contract for the two LaML carriers (Twilio, SignalWire): listings of
 * the Messages and Calls resources and the exact lookup requests, from the account's shape.
 */
import { expect } from "vitest";
import { acceptedSend, CONTRACT_CALL, CONTRACT_SINCE, CONTRACT_SMS, type CarrierContract } from "../contract.ts";
import { LOOKUP_PAGE_SIZE } from "../laml.ts";
import { lamlCall, lamlMessage, lamlPage } from "./laml.ts";

export function lamlLookupContract(account: { accountPath: string; messagesResource: string; callsResource: string; authorization: string; from: string }): CarrierContract["lookup"] {
  const minutes = (n: number) => new Date(CONTRACT_SINCE.getTime() + n * 60_000);
  const text = (id: string, body: string, at: Date) => lamlMessage(acceptedSend({ ...CONTRACT_SMS, body }, id, { at, from: account.from }));
  const call = (id: string, at: Date) => lamlCall(acceptedSend(CONTRACT_CALL, id, { at, from: account.from }));
  return {
    smsFound: lamlPage("messages", [text("SMother", "Your textgate code is 000000", minutes(2)), text("SMmatch", CONTRACT_SMS.body, minutes(1))]),
    smsFoundId: "SMmatch",
    smsNotFound: lamlPage("messages", [
      text("SMother", "Your textgate code is 000000", minutes(2)),
      { ...text("SMin", CONTRACT_SMS.body, minutes(1)), direction: "inbound" },
      text("SMold", CONTRACT_SMS.body, minutes(-10)),
    ]),
    smsIncomplete: lamlPage(
      "messages",
      Array.from({ length: LOOKUP_PAGE_SIZE }, (_, i) => text(`SMother${i}`, `Your textgate code is ${String(i).padStart(6, "0")}`, minutes(1))),
      true,
    ),
    expectSmsLookup(request, message) {
      expect(request.method).toBe("GET");
      expect(request.path).toBe(`${account.accountPath}/${account.messagesResource}`);
      expect(request.headers.authorization).toBe(account.authorization);
      expect(Object.fromEntries(request.query)).toEqual({ To: message.to, PageSize: String(LOOKUP_PAGE_SIZE) });
    },
    callFound: lamlPage("calls", [call("CAmatch", minutes(1)), call("CAold", minutes(-10))]),
    callFoundId: "CAmatch",
    callNotFound: lamlPage("calls", [call("CAold", minutes(-10))]),
    expectCallLookup(request, message) {
      expect(request.method).toBe("GET");
      expect(request.path).toBe(`${account.accountPath}/${account.callsResource}`);
      expect(request.headers.authorization).toBe(account.authorization);
      expect(Object.fromEntries(request.query)).toEqual({ To: message.to, From: account.from, PageSize: String(LOOKUP_PAGE_SIZE) });
    },
  };
}
