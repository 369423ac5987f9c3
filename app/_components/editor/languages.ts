// Which Monaco language shows a lab file, from its name. Network configs are mostly key=value (ini), YAML or JSON.
const BY_EXTENSION: Record<string, string> = {
  yaml: 'yaml',
  yml: 'yaml',
  json: 'json',
  conflist: 'json',
  jsonc: 'json',
  sh: 'shell',
  bash: 'shell',
  conf: 'ini',
  cfg: 'ini',
  ini: 'ini',
  toml: 'ini',
  service: 'ini',
  network: 'ini',
  netdev: 'ini',
  py: 'python',
  go: 'go',
  md: 'markdown',
  xml: 'xml',
  sql: 'sql',
  nft: 'shell',
};

const BY_NAME: Record<string, string> = {
  dockerfile: 'dockerfile',
  'resolv.conf': 'plaintext',
  hosts: 'plaintext',
  '.bashrc': 'shell',
  '.profile': 'shell',
  makefile: 'plaintext',
};

export function languageForPath(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name in BY_NAME) return BY_NAME[name]!;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? (BY_EXTENSION[name.slice(dot + 1)] ?? 'plaintext') : 'plaintext';
}
