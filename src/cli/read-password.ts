/**
 * Reading a password on the command line: typed at a prompt that does not echo it (asked twice
 * when it is a new one), or the first line of standard input when that is not a terminal
 * (`printf '%s\n' "$PASSWORD" | dutymap user add …`). Never from an argument: arguments end up in
 * the shell's history and in every `ps` listing.
 */

/** Reads one line from the terminal without echoing it; Ctrl-C cancels. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolveLine, reject) => {
    let chars: string[] = [];
    const done = (error: Error | null) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolveLine(chars.join(''));
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || ch === '\u0004') return done(new Error('cancelled (已取消)'));
        if (ch === '\u007f' || ch === '\b') chars = chars.slice(0, -1);
        else if (ch >= ' ') chars.push(ch);
      }
    };
    stdin.on('data', onData);
  });
}

/** All of standard input (piped), as text. */
async function readStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk as string;
  return text;
}

/**
 * A password for `who`: at the terminal, typed twice (they must match); piped, the first line of
 * standard input. Throws with a clear message when there is none.
 */
export async function readNewPassword(who: string): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await promptHidden(`${who} 的新密码 / new password for ${who}: `);
    const second = await promptHidden('再输入一次 / again: ');
    if (first !== second) throw new Error('两次输入的密码不一致 (the two passwords differ)');
    return first;
  }
  const line = (await readStdin()).split(/\r?\n/)[0] ?? '';
  if (!line) throw new Error('标准输入中没有密码：请在提示时输入，或用管道传入一行 (no password on standard input: type it at the prompt, or pipe one line in)');
  return line;
}
