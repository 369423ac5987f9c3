'use client';
// One lab target's terminal: xterm.js v6 (WebGL renderer with DOM fallback, fit, links, search) connected
// through TerminalConnection. Loaded with next/dynamic (ssr: false) so pages without a lab ship no xterm code.
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import type { TerminalHandle } from '../lab/lab-session.tsx';
import { TerminalConnection, type StatusDetail } from './terminal-connection.ts';
import { copySelection, installKeyHandler, pasteClipboard } from './terminal-keys.ts';
import { currentSiteTheme, terminalThemes, watchSiteTheme } from './terminal-theme.ts';
import styles from './lab-terminal.module.css';

export interface LabTerminalProps {
  labId: string;
  target: string;
  title: string;
  /** The tab is visible: fit to the panel (a hidden panel has no size). */
  active: boolean;
  onStatus: (target: string, detail: StatusDetail) => void;
  register: (target: string, handle: TerminalHandle) => () => void;
  /** Where tickets come from (default: the lab's own ticket route); exam attempts pass theirs. */
  ticketUrl?: string;
}

const FONT_KEY = 'pw-terminal-font-size';
const FONT = { min: 10, max: 24, initial: 13 };

function readFontSize(): number {
  try {
    const v = Number(localStorage.getItem(FONT_KEY));
    return v >= FONT.min && v <= FONT.max ? v : FONT.initial;
  } catch {
    return FONT.initial;
  }
}

export default function LabTerminal({ labId, target, title, active, onStatus, register, ticketUrl }: LabTerminalProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | undefined>(undefined);
  const fitRef = useRef<FitAddon | undefined>(undefined);
  const searchRef = useRef<SearchAddon | undefined>(undefined);
  const connRef = useRef<TerminalConnection | undefined>(undefined);
  const searchInputRef = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<StatusDetail>({ status: 'connecting' });
  const [fontSize, setFontSize] = useState(readFontSize);
  const [searchOpen, setSearchOpen] = useState(false);
  const [notice, setNotice] = useState('');
  const onStatusRef = useRef(onStatus);
  useEffect(() => {
    onStatusRef.current = onStatus;
  }, [onStatus]);

  useEffect(() => {
    const host = hostRef.current!;
    const size = readFontSize();
    const term = new Terminal({
      fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim() || 'monospace',
      fontSize: size,
      lineHeight: 1.15,
      cursorBlink: true,
      scrollback: 5000,
      theme: terminalThemes[currentSiteTheme()],
      allowProposedApi: true,
      macOptionIsMeta: true,
      rightClickSelectsWord: true,
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.loadAddon(new WebLinksAddon());
    term.open(host);
    try {
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => webgl.dispose());
      term.loadAddon(webgl);
    } catch {
      // No WebGL2 (old GPU, disabled acceleration): xterm keeps its DOM renderer.
    }
    termRef.current = term;
    fitRef.current = fit;
    // For end-to-end tests and debugging: the WebGL renderer draws on a canvas, so the text is not in the DOM.
    Object.defineProperty(host, 'pwTerminal', { value: term, configurable: true });
    searchRef.current = search;

    const notify = (m: string) => {
      setNotice(m);
      setTimeout(() => setNotice(''), 2000);
    };
    installKeyHandler(term, { notify, openSearch: () => setSearchOpen(true) });

    const conn = new TerminalConnection({
      labId,
      target,
      ticketUrl,
      term,
      onStatus: (d) => {
        setStatus(d);
        onStatusRef.current(target, d);
      },
    });
    connRef.current = conn;
    term.onData((data) => conn.send(data));
    term.onBinary((data) => conn.sendBytes(Uint8Array.from(data, (c) => c.charCodeAt(0))));
    term.onResize(({ cols, rows }) => conn.resize(cols, rows));

    const fitNow = () => {
      if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
    };
    fitNow();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(fitNow, 60);
    });
    observer.observe(host);
    const stopWatchingTheme = watchSiteTheme((t) => (term.options.theme = terminalThemes[t]));
    conn.start();

    return () => {
      clearTimeout(timer);
      observer.disconnect();
      stopWatchingTheme();
      conn.dispose();
      term.dispose();
      termRef.current = undefined;
      connRef.current = undefined;
    };
  }, [labId, target, ticketUrl]);

  // Becoming visible: take the panel's size now (the hidden panel had none).
  useEffect(() => {
    if (active) requestAnimationFrame(() => fitRef.current?.fit());
  }, [active]);

  useEffect(() => {
    const unregister = register(target, {
      run(command, options) {
        const conn = connRef.current;
        if (!conn) return;
        if (conn.status.status === 'exited' || conn.status.status === 'closed') conn.restart();
        if (options?.interrupt) conn.send('\x03');
        // Give the shell a moment to handle ^C before the command arrives (it redraws the prompt).
        const typeIt = () => conn.send(command.replace(/\r?\n/g, '\r') + '\r');
        if (options?.interrupt) setTimeout(typeIt, 60);
        else typeIt();
        termRef.current?.focus();
      },
      focus() {
        termRef.current?.focus();
      },
    });
    return unregister;
  }, [register, target]);

  const changeFont = (delta: number) => {
    const next = Math.min(FONT.max, Math.max(FONT.min, fontSize + delta));
    setFontSize(next);
    try {
      localStorage.setItem(FONT_KEY, String(next));
    } catch {
      // Private mode: the size applies to this page only.
    }
    const term = termRef.current;
    if (term) {
      term.options.fontSize = next;
      fitRef.current?.fit();
    }
  };

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    const value = e.currentTarget.value;
    if (e.key === 'Enter') {
      e.preventDefault();
      if (e.shiftKey) searchRef.current?.findPrevious(value);
      else searchRef.current?.findNext(value);
    } else if (e.key === 'Escape') {
      setSearchOpen(false);
      searchRef.current?.clearDecorations();
      termRef.current?.focus();
    }
  };

  useEffect(() => {
    if (searchOpen) searchInputRef.current?.focus();
  }, [searchOpen]);

  return (
    <div className={styles.wrap} data-testid={`terminal-${target}`} data-status={status.status}>
      <div className={styles.toolbar}>
        <span className={styles.toolbarTitle}>{title}</span>
        <span className={styles.notice} role="status" aria-live="polite">
          {notice}
        </span>
        {searchOpen ? (
          <input
            ref={searchInputRef}
            className={styles.search}
            type="search"
            placeholder="Find (Enter, Shift+Enter)"
            aria-label={`Find in ${title} terminal`}
            onKeyDown={onSearchKey}
            onChange={(e) => searchRef.current?.findNext(e.currentTarget.value, { incremental: true })}
          />
        ) : null}
        <button
          type="button"
          className={styles.tool}
          onClick={() => setSearchOpen((o) => !o)}
          aria-label="Find in terminal (Ctrl+Shift+F)"
          title="Find (Ctrl+Shift+F)"
        >
          <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M10 4a6 6 0 1 0 3.6 10.8l4.8 4.8 1.4-1.4-4.8-4.8A6 6 0 0 0 10 4zm0 2a4 4 0 1 1 0 8 4 4 0 0 1 0-8z" fill="currentColor" />
          </svg>
        </button>
        <button
          type="button"
          className={styles.tool}
          onClick={() => termRef.current && void copySelection(termRef.current, setNotice)}
          aria-label="Copy selection (Ctrl+Shift+C)"
          title="Copy (Ctrl+Shift+C)"
        >
          Copy
        </button>
        <button
          type="button"
          className={styles.tool}
          onClick={() => termRef.current && void pasteClipboard(termRef.current, setNotice)}
          aria-label="Paste (Ctrl+Shift+V)"
          title="Paste (Ctrl+Shift+V)"
        >
          Paste
        </button>
        <button
          type="button"
          className={styles.tool}
          onClick={() => changeFont(-1)}
          disabled={fontSize <= FONT.min}
          aria-label="Smaller text"
          title="Smaller text"
        >
          <FontSizeIcon sign="minus" />
        </button>
        <button
          type="button"
          className={styles.tool}
          onClick={() => changeFont(1)}
          disabled={fontSize >= FONT.max}
          aria-label="Larger text"
          title="Larger text"
        >
          <FontSizeIcon sign="plus" />
        </button>
      </div>
      {status.status !== 'live' ? (
        <div className={styles.banner} data-kind={status.status} role="status">
          <span>
            {status.status === 'connecting' ? (
              status.message ? (
                `Connecting to ${title}: ${status.message} Retrying…`
              ) : (
                `Connecting to ${title}…`
              )
            ) : status.status === 'reconnecting' ? (
              <>
                {status.message ?? 'Connection lost.'} Reconnecting{status.retryAt ? <Countdown key={status.retryAt} until={status.retryAt} /> : '…'}
              </>
            ) : (
              (status.message ?? 'The terminal is closed.')
            )}
          </span>
          {status.status === 'reconnecting' ? (
            <button type="button" className={styles.bannerButton} onClick={() => connRef.current?.reconnectNow()}>
              Reconnect now
            </button>
          ) : status.action ? (
            <button type="button" className={styles.bannerButton} onClick={() => connRef.current?.restart()}>
              {status.action === 'take-over' ? 'Use it here' : 'New shell'}
            </button>
          ) : null}
        </div>
      ) : null}
      <div ref={hostRef} className={styles.host} aria-label={`Terminal on ${title}`} data-terminal-host="" />
    </div>
  );
}

/** " in 3 s", counting down to a reconnect attempt. */
function Countdown({ until }: { until: number }) {
  const [left, setLeft] = useState(() => Math.max(0, Math.ceil((until - Date.now()) / 1000)));
  useEffect(() => {
    const t = setInterval(() => setLeft(Math.max(0, Math.ceil((until - Date.now()) / 1000))), 250);
    return () => clearInterval(t);
  }, [until]);
  return <>{left > 0 ? ` in ${left} s` : '…'}</>;
}

/** "A−" / "A+" drawn, so the buttons' accessible names ("Smaller text") are not contradicted by visible text. */
function FontSizeIcon({ sign }: { sign: 'minus' | 'plus' }) {
  return (
    <svg width="20" height="14" viewBox="0 0 20 14" aria-hidden="true" focusable="false">
      <path d="M1 13 5.5 1h1L11 13M3 9h6" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d={sign === 'plus' ? 'M13 7h6M16 4v6' : 'M13 7h6'} stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}
