// Starts Blazor with a reconnection that never gives up. While the connection is down, every page says
// "stale since HH:MM:SS" (what it shows is what it knew then); it retries every 1 to 5 seconds for as
// long as it takes. When the server is back but no longer knows this page (it restarted, or the outage
// outlived the circuit), the page reloads itself.
(() => {
    let downSince = null;
    let attempts = 0;
    let timer = null;

    const banner = () => document.getElementById("dd-stale") ?? (() => {
        const element = document.createElement("div");
        element.id = "dd-stale";
        element.setAttribute("role", "status");
        element.dataset.testid = "stale";
        document.body.appendChild(element);
        return element;
    })();

    const time = date => date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

    const down = () => {
        if (downSince) {
            return;
        }
        downSince = new Date();
        attempts = 0;
        document.documentElement.dataset.connection = "down";
        banner().textContent = `Connection lost: stale since ${time(downSince)}, reconnecting…`;
        banner().hidden = false;
        schedule();
    };

    const up = () => {
        downSince = null;
        clearTimeout(timer);
        document.documentElement.dataset.connection = "up";
        const element = document.getElementById("dd-stale");
        if (element) {
            element.hidden = true;
        }
    };

    const schedule = () => {
        clearTimeout(timer);
        timer = setTimeout(attempt, Math.min(1000 * (attempts + 1), 5000));
    };

    const attempt = async () => {
        if (!downSince) {
            return;
        }
        attempts++;
        let reconnected;
        try {
            reconnected = await Blazor.reconnect();
        } catch {
            schedule(); // The server is still unreachable.
            return;
        }
        if (reconnected) {
            up();
        } else {
            location.reload(); // The server answered but no longer has this circuit: start afresh.
        }
    };

    Blazor.start({
        circuit: {
            reconnectionHandler: { onConnectionDown: down, onConnectionUp: up },
        },
    });
})();
