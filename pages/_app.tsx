/** Global styles for the Pages Router pages, the same sheet as the App Router's root layout. */
import type { AppProps } from "next/app";

import "../app/globals.css";

export default function App({ Component, pageProps }: AppProps) {
  return <Component {...pageProps} />;
}
