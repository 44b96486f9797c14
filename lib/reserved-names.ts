/**
 * Names Windows reserves for devices. A file or folder called CON, NUL, COM1 … cannot be created on
 * Windows — in any letter case and with any extension ("con", "NUL.txt", "aux.tar.gz") — so a
 * function folder or an experiment folder by that name would not be portable.
 */
const DEVICE_NAMES = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** Why `name` cannot name a folder on Windows, or null when it can (a phrase to append after the name). */
export function windowsReservedProblem(name: string): string | null {
  // Windows ignores everything from the first dot, and trailing spaces before it.
  const device = name.split(".")[0].replace(/ +$/, "");
  if (!DEVICE_NAMES.test(device)) return null;
  return (
    `is reserved by Windows for the device ${device.toUpperCase()} (so are CON, PRN, AUX, NUL, ` +
    `COM0-9 and LPT0-9, in any case and with any extension): no folder can have that name there`
  );
}
