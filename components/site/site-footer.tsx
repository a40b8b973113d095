import styles from "./site.module.css";

export function SiteFooter() {
  return (
    <footer className={styles.footer}>
      <div className={`container ${styles.footerInner}`}>
        <p>textgate: self-hosted phone verification by SMS and voice.</p>
        <p>
          <a href="/api/v1/openapi.json">OpenAPI document</a>
        </p>
      </div>
    </footer>
  );
}
