using System.Reflection;
using Docker.DotNet;

namespace DockerDash.Tests.Fakes;

/// <summary>
/// An <see cref="IDockerClient"/> for component tests: records every call by name and answers from
/// <see cref="Answer"/> (default: a completed task). Engine behaviour itself is tested against the real engine.
/// </summary>
public sealed class FakeDockerClient
{
    public FakeDockerClient()
    {
        Client = Proxy<IDockerClient>(this, "");
    }

    public IDockerClient Client { get; }

    public List<string> Calls { get; } = [];

    /// <summary>Gives the result of a call such as <c>Containers.InspectContainerAsync</c>; null means "nothing to return".</summary>
    public Func<string, object?[], object?> Answer { get; set; } = (_, _) => null;

    private static T Proxy<T>(FakeDockerClient owner, string prefix) where T : class
    {
        var proxy = DispatchProxy.Create<T, Interceptor>();
        var interceptor = (Interceptor)(object)proxy;
        interceptor.Owner = owner;
        interceptor.Prefix = prefix;
        return proxy;
    }

    public class Interceptor : DispatchProxy
    {
        public FakeDockerClient Owner { get; set; } = default!;

        public string Prefix { get; set; } = "";

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            var method = targetMethod;
            var returns = method.ReturnType;
            if (method.Name.StartsWith("get_", StringComparison.Ordinal) && returns.IsInterface)
            {
                var create = typeof(FakeDockerClient).GetMethod(nameof(Proxy), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(returns);
                return create.Invoke(null, [Owner, method.Name[4..] + "."]);
            }

            if (method.Name == nameof(IDisposable.Dispose))
            {
                return null;
            }

            var name = Prefix + method.Name;
            lock (Owner.Calls)
            {
                Owner.Calls.Add(name);
            }

            var answer = Owner.Answer(name, args ?? []);
            if (answer is Exception e)
            {
                return returns.IsGenericType ? FromException(returns, e) : Task.FromException(e);
            }

            if (answer is Task pending && returns.IsInstanceOfType(pending))
            {
                // A test that wants the call to take time answers with a task it completes later.
                return pending;
            }

            if (returns == typeof(Task))
            {
                return Task.CompletedTask;
            }

            if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>))
            {
                var type = returns.GetGenericArguments()[0];
                var value = answer ?? (type.IsValueType ? Activator.CreateInstance(type) : null);
                return typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(type).Invoke(null, [value]);
            }

            return answer;
        }

        private static object FromException(Type taskType, Exception e) =>
            typeof(Task).GetMethods().First(m => m.Name == nameof(Task.FromException) && m.IsGenericMethod)
                .MakeGenericMethod(taskType.GetGenericArguments()[0]).Invoke(null, [e])!;
    }
}
