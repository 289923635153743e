/**
 * Opaque page cursors: a list's own position text in base64url. Each list parses the decoded
 * text with its own pattern and refuses anything else; an undecodable cursor decodes to "".
 */
export function encodeCursor(position: string): string {
  return btoa(position).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string): string {
  try {
    return atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return "";
  }
}
