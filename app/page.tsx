import { CurlWalkthrough } from "@/components/home/curl-walkthrough.tsx";
import styles from "@/components/home/home.module.css";
import { QuickLinks } from "@/components/home/quick-links.tsx";

export default function HomePage() {
  return (
    <>
      <section className={styles.hero} aria-labelledby="home-title">
        <h1 id="home-title">textgate</h1>
        <p className={styles.lead}>
          Self-hosted phone verification. textgate sends one-time codes by SMS or by voice call through your own carrier
          account, then checks the code your user types back, with expiry, attempt limits and rate limits built in.
        </p>
        <p className="muted">
          In development the <strong>sandbox carrier</strong> stands in for a real one: messages are stored on this server
          and shown on a simulated handset, so you can build and test sign-up flows without sending a single text.
        </p>
      </section>

      <section className={styles.section} aria-labelledby="start-title">
        <h2 id="start-title">Get started</h2>
        <QuickLinks />
      </section>

      <section className={styles.section} aria-labelledby="curl-title">
        <h2 id="curl-title">Verify a number with curl</h2>
        <p className="muted">
          Requests to <code>/api/v1</code> need an API key in <code>Authorization: Bearer</code>; create one with{" "}
          <code>npm run keys:create -- --name dev</code> and export it as <code>TEXTGATE_KEY</code>.
        </p>
        <CurlWalkthrough />
      </section>
    </>
  );
}
