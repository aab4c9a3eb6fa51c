// The CLI run in this process (cli/main.ts main) with its output caught: for tests that check
// what a command writes and its exit code without spawning node.
import { main, type Io } from '../cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], o: { stdin?: string; color?: boolean; io?: Partial<Io> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), readStdin: async () => o.stdin ?? '', color: !!o.color, ...o.io };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
