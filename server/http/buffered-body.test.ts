import { describe, expect, it } from "vitest";
import { BufferedRequest, BufferedResponse } from "./buffered-body.ts";

const bytes = (text: string) => new Uint8Array(Buffer.from(text)) as Uint8Array<ArrayBuffer>;
const post = (text: string | null, type = "application/json") =>
  new BufferedRequest("http://localhost/api/auth/callback/sms", { method: "POST", headers: new Headers({ "content-type": type }) }, text === null ? null : bytes(text));

describe("BufferedRequest", () => {
  it("is a Request with the url, method and headers given", () => {
    const request = post('{"a":1}');
    expect(request).toBeInstanceOf(Request);
    expect([request.url, request.method, request.headers.get("content-type")]).toEqual(["http://localhost/api/auth/callback/sms", "POST", "application/json"]);
  });

  it("reads its body once, as text, JSON, bytes or a form, and refuses a second read as undici does", async () => {
    const json = post('{"phone":"+12125550100","name":"Zoë"}');
    expect(json.bodyUsed).toBe(false);
    expect(await json.json()).toEqual({ phone: "+12125550100", name: "Zoë" });
    expect(json.bodyUsed).toBe(true);
    await expect(json.text()).rejects.toThrow(TypeError);
    expect(() => json.clone()).toThrow(TypeError);

    expect(Buffer.from(await post("héllo").arrayBuffer()).toString()).toBe("héllo");
    const form = await post("code=123456&csrfToken=abc", "application/x-www-form-urlencoded").formData();
    expect([form.get("code"), form.get("csrfToken")]).toEqual(["123456", "abc"]);
    expect(await (await post("xyz", "text/plain").blob()).text()).toBe("xyz");
    await expect(post("{not json").json()).rejects.toThrow(SyntaxError);
  });

  it("decodes UTF-8 as undici does: a leading byte order mark is dropped, one further in is kept", async () => {
    const withBom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text)]) as Uint8Array<ArrayBuffer>;
    for (const bytes of [withBom('{"a":1}'), withBom('x\ufeffy')]) {
      const init = { method: "POST", headers: new Headers({ "content-type": "application/json" }) };
      const expected = await new Request("http://localhost/", { ...init, body: bytes }).text();
      expect(await new BufferedRequest("http://localhost/", init, bytes).text()).toBe(expected);
      expect(await new BufferedResponse(bytes).text()).toBe(await new Response(bytes).text());
    }
    expect(await new BufferedRequest("http://localhost/", { method: "POST", headers: new Headers() }, withBom('{"a":1}')).json()).toEqual({ a: 1 });
  });

  it("clones with a body of its own, and gives a stream of the same bytes to code that asks for one", async () => {
    const request = post('{"x":"y"}');
    const clone = request.clone();
    expect(await clone.text()).toBe('{"x":"y"}');
    expect(request.bodyUsed).toBe(false);
    const reader = request.body!.getReader();
    expect(request.bodyUsed).toBe(true);
    const chunks: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    expect(Buffer.concat(chunks).toString()).toBe('{"x":"y"}');
  });

  it("has no body when none or an empty one was read", async () => {
    for (const request of [post(null), post("")]) {
      expect(request.body).toBeNull();
      expect(await request.text()).toBe("");
    }
  });
});

describe("BufferedResponse", () => {
  it("is a Response with the status and headers given, and a body read once from its buffer", async () => {
    const response = new BufferedResponse('{"ok":true}', { status: 201, headers: { "content-type": "application/json" } });
    expect(response).toBeInstanceOf(Response);
    expect([response.status, response.ok, response.headers.get("content-type")]).toEqual([201, true, "application/json"]);
    expect(Buffer.from(response.bufferedBytes!).toString()).toBe('{"ok":true}');
    const clone = response.clone();
    expect(await response.json()).toEqual({ ok: true });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(await clone.text()).toBe('{"ok":true}');
  });

  it("streams its body to code that pipes `response.body`, as Next does with a route handler's answer", async () => {
    const response = new BufferedResponse("héllo wörld");
    expect(response.headers.get("content-type")).toBe("text/plain;charset=UTF-8");
    expect(await new Response(response.body).text()).toBe("héllo wörld");
    expect(response.bodyUsed).toBe(true);
  });

  it("has no body when given none, and refuses a body with a status that cannot have one, as undici does", async () => {
    const empty = new BufferedResponse(null, { status: 204 });
    expect([empty.status, empty.body, await empty.text()]).toEqual([204, null, ""]);
    expect(() => new BufferedResponse("x", { status: 204 })).toThrow(TypeError);
    expect(() => new Response("x", { status: 204 })).toThrow(TypeError);
  });
});
