// The console: xterm.js (served by the app from wwwroot/lib, no CDN) on an element, its keystrokes to .NET,
// its size following the element, copy and paste, and a key bar for phones. Also the player of recordings.
import { Terminal } from '../lib/xterm/xterm.mjs';
import { FitAddon } from '../lib/xterm/addon-fit.mjs';

const keys = {
    esc: '\x1b', tab: '\t',
    up: ['\x1b[A', '\x1bOA'], down: ['\x1b[B', '\x1bOB'], right: ['\x1b[C', '\x1bOC'], left: ['\x1b[D', '\x1bOD'],
    pipe: '|', tilde: '~', slash: '/',
};

function create(element, options) {
    const term = new Terminal({
        cursorBlink: true,
        convertEol: options.convertEol === true,
        disableStdin: options.readOnly === true,
        fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
        fontSize: window.matchMedia('(max-width: 600px)').matches ? 12 : 14,
        scrollback: 5000,
        theme: { background: '#1e1e1e' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    fit.fit();
    return { term, fit };
}

// Ctrl held by the key bar: the next character typed becomes its control code (c -> ^C).
function control(data) {
    const c = data.toUpperCase().charCodeAt(0);
    return c >= 64 && c <= 95 ? String.fromCharCode(c - 64) : data;
}

export function open(element, keyBar, dotnet, options) {
    const { term, fit } = create(element, options);
    let ctrl = false;
    const ctrlButton = keyBar?.querySelector('[data-key=ctrl]');
    const setCtrl = on => { ctrl = on; ctrlButton?.setAttribute('aria-pressed', on ? 'true' : 'false'); };
    const send = data => dotnet.invokeMethodAsync('Input', data).catch(() => { });

    term.onData(data => {
        if (ctrl && data.length === 1) {
            data = control(data);
            setCtrl(false);
        }
        send(data);
    });
    term.onResize(size => dotnet.invokeMethodAsync('Resize', size.cols, size.rows).catch(() => { }));

    // Copy: Ctrl+Shift+C (Ctrl+C stays the interrupt); paste: Ctrl+Shift+V, or the browser's own paste.
    term.attachCustomKeyEventHandler(e => {
        if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) {
            return true;
        }
        if (e.code === 'KeyC' && term.hasSelection()) {
            navigator.clipboard?.writeText(term.getSelection());
            return false;
        }
        if (e.code === 'KeyV') {
            navigator.clipboard?.readText().then(text => term.paste(text));
            return false;
        }
        return true;
    });

    // The key bar: buttons that do not take the focus (the phone's keyboard stays up).
    const onKeyBar = e => {
        const button = e.target.closest('[data-key]');
        if (!button) {
            return;
        }
        e.preventDefault();
        const name = button.dataset.key;
        if (name === 'ctrl') {
            setCtrl(!ctrl);
        } else if (name === 'copy') {
            if (term.hasSelection()) {
                navigator.clipboard?.writeText(term.getSelection());
            }
        } else if (name === 'paste') {
            navigator.clipboard?.readText().then(text => term.paste(text));
        } else {
            const key = keys[name];
            let data = Array.isArray(key) ? key[term.modes.applicationCursorKeysMode ? 1 : 0] : key;
            if (ctrl && data.length === 1) {
                data = control(data);
                setCtrl(false);
            }
            send(data);
        }
        term.focus();
    };
    const keepFocus = e => { if (e.target.closest('[data-key]')) { e.preventDefault(); } };
    keyBar?.addEventListener('click', onKeyBar);
    keyBar?.addEventListener('mousedown', keepFocus);
    keyBar?.addEventListener('touchstart', keepFocus, { passive: false });

    const resizing = new ResizeObserver(() => { try { fit.fit(); } catch { /* hidden tab */ } });
    resizing.observe(element);
    term.focus();

    return {
        size: () => ({ cols: term.cols, rows: term.rows }),
        write: text => term.write(text),
        focus: () => term.focus(),
        dispose: () => {
            resizing.disconnect();
            keyBar?.removeEventListener('click', onKeyBar);
            keyBar?.removeEventListener('mousedown', keepFocus);
            keyBar?.removeEventListener('touchstart', keepFocus);
            term.dispose();
        },
    };
}

// Plays a recording's output events at their pace (pauses longer than a second are cut to one), at `speed`.
export function play(element, recording, status) {
    const { term } = create(element, { readOnly: true });
    term.resize(Math.max(recording.cols, 10), Math.max(recording.rows, 2));
    const output = recording.events.filter(e => e.kind === 'o');
    let next = 0, timer = null, speed = 1;
    const report = () => status.textContent = next >= output.length ? 'played to the end' : timer ? `playing (${speed}x)` : 'paused';
    const step = () => {
        timer = null;
        if (next >= output.length) {
            report();
            return;
        }
        const e = output[next++];
        term.write(e.data);
        const wait = next < output.length ? Math.min(output[next].seconds - e.seconds, 1) * 1000 / speed : 0;
        timer = setTimeout(step, Math.max(wait, 0));
        report();
    };
    return {
        play: () => { if (!timer) { step(); } },
        pause: () => { clearTimeout(timer); timer = null; report(); },
        speed: s => { speed = s; report(); },
        restart: () => { clearTimeout(timer); timer = null; term.reset(); next = 0; step(); },
        all: () => { clearTimeout(timer); timer = null; while (next < output.length) { term.write(output[next++].data); } report(); },
        dispose: () => { clearTimeout(timer); term.dispose(); },
    };
}
