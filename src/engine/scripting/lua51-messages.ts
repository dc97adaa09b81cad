// Lua 5.3 (fengari) words some runtime and syntax errors differently from the Lua 5.1 that
// Redis embeds, and scripts and clients match on these texts. The common shapes are rewritten
// into 5.1's wording; anything else passes through unchanged.

const REWRITES: Array<[RegExp, string]> = [
  // "attempt to index a nil value (local 't')" -> "attempt to index local 't' (a nil value)"
  [/attempt to (index|call|perform arithmetic on|concatenate|compare) an? (\w+) value \((local|global|field|upvalue|method|constant) '([^']*)'\)/g, "attempt to $1 $3 '$4' (a $2 value)"],
  [/near <eof>/g, "near '<eof>'"],
];

export function lua51Message(msg: string): string {
  let out = msg;
  for (const [re, to] of REWRITES) out = out.replace(re, to);
  return out;
}
