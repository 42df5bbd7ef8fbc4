/** Streaming md5 of a file (node:crypto), the checksum Figshare publishes as `computed_md5`. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function md5OfFile(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
