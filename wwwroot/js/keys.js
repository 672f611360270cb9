// Keyboard shortcuts for every page: "/" focuses the page's search box (the first visible one marked
// data-shortcut="search"), unless the reader is already typing somewhere.
document.addEventListener('keydown', (event) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) {
        return;
    }

    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || target.closest('input, textarea, select, [role=textbox], .xterm'))) {
        return;
    }

    const search = [...document.querySelectorAll('input[data-shortcut="search"]')].find((e) => e.offsetParent !== null);
    if (search) {
        event.preventDefault();
        search.focus();
        search.select();
    }
});
