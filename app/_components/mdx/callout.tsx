// <Callout type="note|tip|warning|danger" title?> — a highlighted aside in the prose.
import type { MdxProps } from '../../../course/content/mdx-component-props.ts';
import styles from './callout.module.css';

const labels = { note: 'Note', tip: 'Tip', warning: 'Warning', danger: 'Danger' } as const;

export function Callout({ type = 'note', title, children }: MdxProps<'Callout'>) {
  return (
    <div className={styles.callout} data-type={type} role="note" aria-label={title ?? labels[type]}>
      <div className={styles.head}>
        <CalloutIcon type={type} />
        <span className={styles.title}>{title ?? labels[type]}</span>
      </div>
      <div className={styles.body}>{children}</div>
    </div>
  );
}

function CalloutIcon({ type }: { type: keyof typeof labels }) {
  const common = {
    width: 16,
    height: 16,
    viewBox: '0 0 24 24',
    fill: 'none',
    stroke: 'currentColor',
    strokeWidth: 2,
    strokeLinecap: 'round' as const,
    strokeLinejoin: 'round' as const,
    'aria-hidden': true,
  };
  switch (type) {
    case 'tip':
      return (
        <svg {...common}>
          <path d="M9 18h6M10 22h4M12 2a7 7 0 0 0-4 12.7V17h8v-2.3A7 7 0 0 0 12 2z" />
        </svg>
      );
    case 'warning':
      return (
        <svg {...common}>
          <path d="M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0zM12 9v4M12 17h.01" />
        </svg>
      );
    case 'danger':
      return (
        <svg {...common}>
          <circle cx="12" cy="12" r="10" />
          <path d="M15 9l-6 6M9 9l6 6" />
        </svg>
      );
    default:
      return (
        <svg {...common}>
          <circle cx="12" cy="12" r="10" />
          <path d="M12 16v-4M12 8h.01" />
        </svg>
      );
  }
}
