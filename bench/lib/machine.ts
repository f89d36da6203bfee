// What the figures were measured on: they only mean something next to the machine.
import os from 'node:os';

export interface Machine {
  cores: number;
  cpu: string;
  node: string;
  ramGiB: number;
  kernel: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
  };
}
