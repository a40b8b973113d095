/** React hooks over the phone helpers of phone-analysis.ts (which this module re-exports). */
import { useEffect, useState } from "react";

import { formatInternational, loadedPhoneLib, loadPhoneLib, type PhoneLib } from "./phone-analysis.ts";

export { analysePhone, formatInternational, loadPhoneLib, type PhoneAnalysis, type PhoneLib } from "./phone-analysis.ts";

/** The phone library once loaded (starts loading on first use); null until then. */
export function usePhoneLib(): PhoneLib | null {
  const [lib, setLib] = useState<PhoneLib | null>(loadedPhoneLib);
  useEffect(() => {
    if (lib) return;
    let live = true;
    loadPhoneLib()
      .then((value) => {
        if (live) setLib(value);
      })
      .catch(() => {
        // Offline or a failed chunk: the plain E.164 check keeps the field usable.
      });
    return () => {
      live = false;
    };
  }, [lib]);
  return lib;
}

/** Formats `e164` for display, re-rendering once the library has loaded. */
export function useFormattedPhone(e164: string | null | undefined): string | null {
  const lib = usePhoneLib();
  return e164 ? formatInternational(e164, lib) : null;
}
