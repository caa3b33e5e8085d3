using System.Security.Cryptography;
using System.Text;

namespace Swap.Journal;

/// <summary>One step of a script as the journal knows it: its number, operation, fingerprint and description.</summary>
/// <param name="Seq">The step's number in the script, from 1.</param>
/// <param name="Op">Short operation name, stored in the journal.</param>
/// <param name="Fingerprint">What makes this step this step, hashed (<see cref="FingerprintOf"/>).</param>
/// <param name="Description">What the step does, for messages and plans.</param>
internal sealed record JournalStep(int Seq, string Op, string Fingerprint, string Description)
{
    /// <summary>The fingerprint of an operation and its identity (its SQL and parameters).</summary>
    public static string FingerprintOf(string op, string identity) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(op + "\n" + identity)))[..32];
}
