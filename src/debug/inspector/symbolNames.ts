// Readable function names: Rust's legacy mangling (`_ZN2sq6square17h…E` → `sq::square`); other names unchanged.

const RUST_ESCAPES: Record<string, string> = {
  '$LT$': '<', '$GT$': '>', '$RF$': '&', '$BP$': '*', '$C$': ',', '$SP$': '@', '$u20$': ' ', '$u27$': "'",
  '$u5b$': '[', '$u5d$': ']', '$u7b$': '{', '$u7d$': '}', '$u7e$': '~', '$u3b$': ';', '$u2b$': '+', '$u22$': '"',
};

/** Demangles an Itanium-style Rust legacy symbol; returns the input when it is not one. */
export function readableFunctionName(name: string): string {
  const match = /^_ZN((?:\d+[^\d][^]*?)+)E$/.exec(name);
  if (!match) return name;
  const segments: string[] = [];
  let rest = match[1]!;
  while (rest.length > 0) {
    const length = /^(\d+)/.exec(rest);
    if (!length) return name;
    const size = Number(length[1]);
    const segment = rest.slice(length[1]!.length, length[1]!.length + size);
    if (segment.length !== size) return name;
    segments.push(segment);
    rest = rest.slice(length[1]!.length + size);
  }
  // The last segment is the hash (h + 16 hex digits) of legacy Rust symbols.
  if (segments.length > 1 && /^h[0-9a-f]{16}$/.test(segments[segments.length - 1]!)) segments.pop();
  return segments
    .map((segment) => segment.replace(/^_\$/, '$').replace(/\$[A-Za-z0-9]+\$/g, (escape) => RUST_ESCAPES[escape] ?? escape).replace(/\.\./g, '::'))
    .join('::');
}
