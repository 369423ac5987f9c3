// <PacketPath hops={[{at, what}]} title?> — the hops a packet takes, in order.
import type { MdxProps } from '../../../course/content/mdx-component-props.ts';
import styles from './packet-path.module.css';

export function PacketPath({ hops, title }: MdxProps<'PacketPath'>) {
  return (
    <figure className={styles.figure}>
      <figcaption className={styles.caption}>
        <span className={styles.kicker}>Packet path</span>
        {title ? <span className={styles.title}>{title}</span> : null}
      </figcaption>
      <ol className={styles.hops}>
        {hops.map((hop, i) => (
          <li key={`${i}-${hop.at}`} className={styles.hop}>
            <span className={styles.index} aria-hidden="true">
              {i + 1}
            </span>
            <div className={styles.body}>
              <code className={styles.at}>{hop.at}</code>
              <span className={styles.what}>{hop.what}</span>
            </div>
          </li>
        ))}
      </ol>
    </figure>
  );
}
