/** What each connect unit of the demo endpoints does: shown to every visitor, signed in or not. */
const UNITS = [
  { name: "Send Token", path: "/ws/demo/token", what: "texts you a code; the socket is admitted once you type it into the page." },
  { name: "Confirm Reply", path: "/ws/demo/confirm-reply", what: "texts you “Is that you logging in?”; the socket is admitted when you reply YES." },
  { name: "Reply", path: "/ws/demo/reply", what: "shows a short code on the page; the socket is admitted when you text that code back." },
  { name: "Owner alert", path: "/ws/demo/owner-alert", what: "texts the owners (OWNER_PHONES) who is connecting; the socket waits until one of them accepts, by SMS or on /owner." },
  { name: "No unit", path: "/ws/echo", what: "is admitted at once: a signed-in socket that echoes what you send." },
] as const;

export function UnitsOverview() {
  return (
    <>
      <p className="page-intro">
        A socket whose connect phase needs a text message: the upgrade is checked against your sign-in, then the socket stays
        pending until its unit passes. In development every text lands on the sandbox handset, so you can answer from there.
      </p>
      <dl>
        {UNITS.map((unit) => (
          <div key={unit.path}>
            <dt>
              <strong>{unit.name}</strong> <code>{unit.path}</code>
            </dt>
            <dd>{unit.what}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
