using System.Reflection;
using System.Reflection.Emit;
using System.Security.Cryptography;
using System.Text;

namespace Swap.Discovery;

/// <summary>Content checksums: SHA-256 in lower-case hex.</summary>
internal static class Checksums
{
    public static string Of(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal))));

    /// <summary>
    /// A checksum of a compiled script class: the IL of its methods (and of the compiler-made
    /// nested types holding async state machines and lambdas) with metadata tokens replaced by the
    /// names they stand for, so a rebuild that renumbers tokens does not look like a change.
    /// </summary>
    public static string OfType(Type type)
    {
        var sb = new StringBuilder(type.FullName);
        AppendType(sb, type);
        return Of(sb.ToString());
    }

    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    private static void AppendType(StringBuilder sb, Type type)
    {
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)).OrderBy(m => m.ToString(), StringComparer.Ordinal))
        {
            sb.Append('\n').Append(method);
            var il = method.GetMethodBody()?.GetILAsByteArray();
            if (il is not null)
                AppendIl(sb, method.Module, il, method);
        }
        foreach (var nested in type.GetNestedTypes(Declared).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            sb.Append("\nnested ").Append(nested.Name);
            AppendType(sb, nested);
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static void AppendIl(StringBuilder sb, Module module, byte[] il, MethodBase context)
    {
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE && i + 1 < il.Length ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            if (!OpCodesByValue.TryGetValue(value, out var op))
            {
                sb.Append(" ?").Append(value);
                continue;
            }
            sb.Append(' ').Append(op.Name);
            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    sb.Append(' ').Append(il[i]);
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    sb.Append(' ').Append(BitConverter.ToInt16(il, i));
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    sb.Append(' ').Append(BitConverter.ToInt64(il, i));
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    var n = BitConverter.ToInt32(il, i);
                    i += 4 + (4 * n);
                    sb.Append(" switch").Append(n);
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.ShortInlineR:
                    sb.Append(' ').Append(BitConverter.ToInt32(il, i));
                    i += 4;
                    break;
                default:
                    sb.Append(' ').Append(ResolveToken(module, BitConverter.ToInt32(il, i), op.OperandType, context));
                    i += 4;
                    break;
            }
        }
    }

    private static string ResolveToken(Module module, int token, OperandType kind, MethodBase context)
    {
        try
        {
            var typeArgs = context.DeclaringType?.IsGenericType == true ? context.DeclaringType.GetGenericArguments() : null;
            var methodArgs = context.IsGenericMethod ? context.GetGenericArguments() : null;
            return kind switch
            {
                OperandType.InlineString => module.ResolveString(token),
                OperandType.InlineSig => "sig",
                _ => module.ResolveMember(token, typeArgs, methodArgs)?.ToString() ?? "?",
            };
        }
        catch (ArgumentException)
        {
            return "?";
        }
    }
}
