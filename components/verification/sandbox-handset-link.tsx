import styles from "./verification.module.css";

/** "Open the sandbox handset" (shown while the sandbox carrier delivers codes), opening `to`'s thread. */
export function SandboxHandsetLink({ to, linkProps }: { to?: string; linkProps?: Record<`data-${string}`, string> }) {
  return (
    <p className={styles.sandboxLink}>
      <a href={to ? `/sandbox?to=${encodeURIComponent(to)}` : "/sandbox"} target="_blank" rel="noopener noreferrer" {...linkProps}>
        Open the sandbox handset
      </a>{" "}
      <span className="muted">(opens in a new tab; the sandbox carrier delivers the code there)</span>
    </p>
  );
}
