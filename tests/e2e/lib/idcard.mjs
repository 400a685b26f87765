// Resident ID numbers for test data (GB 11643-1999: ISO 7064 MOD 11-2 check character).

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character for the first 17 digits. */
export function checkChar(first17) {
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * WEIGHTS[i], 0);
  return CHECK[sum % 11];
}

/** A valid 18-character ID: region (6 digits), birth yyyymmdd, sequence (odd male, even female). */
export function makeId(region, birth, sequence) {
  const first17 = `${region}${birth}${String(sequence).padStart(3, '0')}`;
  return first17 + checkChar(first17);
}

/** The same number with a wrong check character. */
export function breakCheck(id) {
  const right = id[17];
  const wrong = right === '1' ? '2' : '1';
  return id.slice(0, 17) + wrong;
}
