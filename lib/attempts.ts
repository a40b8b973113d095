/** The one wording of attempts left, for the sign-in pages, the account, sockets and the React components. */

/** "3 attempts left." / "1 attempt left." */
export function attemptsLeftText(attemptsLeft: number): string {
  return `${attemptsLeft} ${attemptsLeft === 1 ? "attempt" : "attempts"} left.`;
}

/** "Wrong code. 2 attempts left." / "Wrong code. No attempts left: request a new code." */
export function wrongCodeText(attemptsLeft: number): string {
  return attemptsLeft > 0 ? `Wrong code. ${attemptsLeftText(attemptsLeft)}` : "Wrong code. No attempts left: request a new code.";
}
