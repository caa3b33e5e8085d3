namespace Swap.IntegrationTests.Infrastructure;

/// <summary>
/// Test classes that change, or depend on, a global MariaDB setting (log_bin_trust_function_creators)
/// run one after the other: a test that turns it off for a moment must not meet a swap by a user
/// without SUPER running at the same time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class MariaDbGlobalSettings
{
    public const string Name = "MariaDB global settings";
}
