namespace DockerDash.Testing;

/// <summary>Waits for a condition that the engine reaches on its own time (a container exiting, an engine restarting).</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}; last seen: {value}");
            }

            await Task.Delay(50);
        }
    }
}
