import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Follows a file that another process appends to, line by line. */
export interface FileTail {
  /** Reads what is left, delivers a last unterminated line, and stops following. */
  finish(): void;
}

export function tailFile(path: string, onLine: (line: string) => void, everyMs = 250): FileTail {
  const fd = openSync(path, 'r');
  const decoder = new StringDecoder('utf8');
  const buf = Buffer.alloc(64 * 1024);
  let offset = 0;
  let rest = '';
  const readNew = () => {
    for (let n = readSync(fd, buf, 0, buf.length, offset); n > 0; n = readSync(fd, buf, 0, buf.length, offset)) {
      offset += n;
      const lines = (rest + decoder.write(buf.subarray(0, n))).split('\n');
      rest = lines.pop() ?? '';
      lines.forEach(onLine);
    }
  };
  const timer = setInterval(readNew, everyMs);
  return {
    finish() {
      clearInterval(timer);
      readNew();
      rest += decoder.end();
      if (rest) onLine(rest);
      closeSync(fd);
    },
  };
}
