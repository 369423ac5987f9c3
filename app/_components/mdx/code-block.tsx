// The `pre` of every fenced code block: shiki has already highlighted it at build time; this adds the
// language label and a copy button (which copies the raw text shiki recorded in data-code).
import type { ComponentProps } from 'react';
import { CopyButton } from './copy-button.tsx';
import styles from './code-block.module.css';

const languageNames: Record<string, string> = {
  bash: 'bash',
  sh: 'sh',
  shell: 'shell',
  console: 'console',
  shellsession: 'console',
  yaml: 'YAML',
  json: 'JSON',
  jsonc: 'JSON',
  text: 'output',
  plaintext: 'output',
  txt: 'output',
  diff: 'diff',
  dockerfile: 'Dockerfile',
};

type PreProps = ComponentProps<'pre'> & { 'data-code'?: string; 'data-language'?: string };

export function CodeBlock({ 'data-code': code, 'data-language': language, className, ...rest }: PreProps) {
  const label = language ? (languageNames[language] ?? language) : undefined;
  return (
    <div className={styles.block} data-language={language}>
      <div className={styles.head}>
        <span className={styles.language}>{label}</span>
        {code !== undefined ? <CopyButton text={code} label={`Copy ${label ?? 'code'}`} /> : null}
      </div>
      <pre className={`${className ?? ''} ${styles.pre}`} {...rest} />
    </div>
  );
}
