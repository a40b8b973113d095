import { COUNTRIES, countryOptionLabel } from "./countries.ts";

/** The <option>s of a country picker: "United States (US, +1)", valued by ISO code. */
export function CountryOptions() {
  return COUNTRIES.map((option) => (
    <option key={option.code} value={option.code}>
      {countryOptionLabel(option)}
    </option>
  ));
}
