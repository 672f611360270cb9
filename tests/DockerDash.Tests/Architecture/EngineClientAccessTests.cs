using System.Reflection;
using System.Reflection.Emit;
using DockerDash.Engines;
using DockerDash.Operations;

namespace DockerDash.Tests.Architecture;

/// <summary>
/// "Nothing but the gate holds an engine client", as a test: reads the IL of every method in DockerDash and
/// lists the types that take an engine connection's Docker.DotNet client or plain HTTP client. A new reader
/// of either fails here until it is added below, on purpose and with a reason.
/// </summary>
public class EngineClientAccessTests
{
    /// <summary>Who may take a connection's clients, and why.</summary>
    private static readonly Dictionary<Type, string> Allowed = new()
    {
        [typeof(OperationGate)] = "the gate: every page, hub and endpoint call, authorised and audited",
        [typeof(EngineConnection)] = "the connection itself",
        [typeof(NegotiatedEngine)] = "the clients as negotiated, handed to the connection (its record members read them)",
        [typeof(EngineWatcher)] = "connects, follows /events and re-lists: the engine's own upkeep, shared by all",
        [typeof(DockerDash.Logs.ContainerLogFeed)] = "the one shared log stream per container; viewers join it through the gate",
        [typeof(DockerDash.Stats.ContainerStatsFeed)] = "the one shared stats stream per container; viewers join it through the gate",
    };

    private static readonly MethodInfo[] ClientGetters =
    [
        typeof(EngineConnection).GetProperty(nameof(EngineConnection.Client))!.GetMethod!,
        typeof(EngineConnection).GetProperty(nameof(EngineConnection.Http))!.GetMethod!,
        typeof(NegotiatedEngine).GetProperty(nameof(NegotiatedEngine.Client))!.GetMethod!,
        typeof(NegotiatedEngine).GetProperty(nameof(NegotiatedEngine.Http))!.GetMethod!,
    ];

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    [Fact]
    public void Only_the_gate_and_the_shared_engine_streams_take_an_engine_client()
    {
        var readers = typeof(OperationGate).Assembly.GetTypes()
            .Where(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Concat<MethodBase>(t.GetConstructors(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
                .Any(CallsAClientGetter))
            .Select(Outermost)
            .Distinct()
            .ToList();

        Assert.All(readers, t => Assert.True(Allowed.ContainsKey(t), $"{t.FullName} takes an engine client: go through OperationGate, or add it to Allowed with a reason."));
        Assert.Contains(typeof(OperationGate), readers);
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private static bool CallsAClientGetter(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return false;
        }

        for (var i = 0; i < il.Length;)
        {
            var code = il[i] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[i + 1])] : OpCodesByValue[il[i]];
            i += code.Size;
            if (code.OperandType == OperandType.InlineMethod
                && Resolve(method, BitConverter.ToInt32(il, i)) is MethodInfo called
                && ClientGetters.Any(g => g.MetadataToken == called.MetadataToken && g.Module == called.Module))
            {
                return true;
            }

            i += OperandSize(code.OperandType, il, i);
        }

        return false;
    }

    private static MethodBase? Resolve(MethodBase method, int token)
    {
        try
        {
            return method.Module.ResolveMethod(token, method.DeclaringType?.GetGenericArguments(), method.IsGenericMethod ? method.GetGenericArguments() : null);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
