using Swap.IntegrationTests.Infrastructure;

namespace Swap.IntegrationTests.Engine;

/// <summary>
/// A swap run as a user with only the privileges docs/operating-online-swaps.md lists, and
/// preflight naming what is missing before anything is written. The test MariaDB runs with
/// binary logging on (build.cake), as production primaries do.
/// </summary>
[Collection(MariaDbGlobalSettings.Name)]
public class LeastPrivilegeTests
{
    [Theory]
    [MemberData(nameof(EngineData.ServerEngines), MemberType = typeof(EngineData))]
    public async Task A_user_with_only_the_documented_privileges_swaps_a_table_under_concurrent_writes(DatabaseEngine engine)
    {
        await using var target = await TestTarget.CreateAsync(engine);
        await using var user = await LeastPrivilegedUser.CreateAsync(target);
        await EngineKit.CreateItemsAsync(target, 3000);
        if (engine == DatabaseEngine.PostgreSql)
            await target.ExecuteAsync($"ALTER TABLE items OWNER TO \"{user.Name}\"");
        EngineKit.WriteSwapScript(target);

        await using var trust = engine == DatabaseEngine.MySql ? await TrustFunctionCreators.SetAsync(target, true) : null;
        var (result, writer) = await WritesDuringSwap.RunAsync(target, 3000, c => EngineKit.Migrator(target, c, user.Database()));

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        OracleWriter.AssertMatches(writer.Oracle, writer.Inserted, await EngineKit.ReadItemsAsync(target));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task PostgreSql_an_application_role_with_only_its_table_grants_keeps_writing_during_the_swap()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await using var owner = await LeastPrivilegedUser.CreateAsync(target);
        var app = UniqueName.Next("app");
        await EngineKit.CreateItemsAsync(target, 3000);
        await target.ExecuteAsync($"ALTER TABLE items OWNER TO \"{owner.Name}\"");
        // The application's role: its table's rows, nothing of Swap's log or copy.
        await target.ExecuteAsync($"CREATE ROLE \"{app}\"");
        try
        {
            await target.ExecuteAsync($"GRANT USAGE ON SCHEMA \"{target.Name}\" TO \"{app}\"");
            await target.ExecuteAsync($"GRANT SELECT, INSERT, UPDATE, DELETE ON items TO \"{app}\"");
            EngineKit.WriteSwapScript(target);

            var (result, writer) = await WritesDuringSwap.RunAsync(target, 3000, c => EngineKit.Migrator(target, c, owner.Database()), writerRole: app);

            Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
            OracleWriter.AssertMatches(writer.Oracle, writer.Inserted, await EngineKit.ReadItemsAsync(target));
            // The swapped-in table carries the role's grants.
            Assert.Equal("DELETE, INSERT, SELECT, UPDATE", await target.ScalarAsync($"SELECT string_agg(privilege_type, ', ' ORDER BY privilege_type) FROM information_schema.role_table_grants WHERE table_schema = '{target.Name}' AND table_name = 'items' AND grantee = '{app}'"));
            Assert.Empty(await EngineKit.LeftoversAsync(target));
        }
        finally
        {
            await target.ExecuteAsync($"DROP OWNED BY \"{app}\"");
            await target.ExecuteAsync($"DROP ROLE \"{app}\"");
        }
    }

    /// <summary>
    /// A privilege the RENAME needs, revoked during the swap (new sessions see it at once): the
    /// cut-over stops with the server's words. It was taken for the renamer's session being killed
    /// and retried as a lock timeout, for a minute, and ended as "could not take its locks" (exit 9).
    /// </summary>
    [Fact]
    public async Task MySql_a_privilege_revoked_before_the_cut_over_stops_it_with_the_servers_error_not_as_a_lock_timeout()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await using var user = await LeastPrivilegedUser.CreateAsync(target);
        await EngineKit.CreateItemsAsync(target, 2000);
        EngineKit.WriteSwapScript(target);
        await using var trust = await TrustFunctionCreators.SetAsync(target, true);
        var revoked = false;

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, o =>
        {
            o.Swap.OneTransactionBelowRows = 0;
            o.Swap.CutOverLockTimeout = TimeSpan.FromMilliseconds(300);
            o.Swap.CutOverRetries = 2;
            o.OnProgress = p =>
            {
                if (p.Phase != SwapPhase.CuttingOver || revoked)
                    return;
                revoked = true;
                target.ExecuteAsync($"REVOKE DROP ON `{target.Name}`.* FROM '{user.Name}'@'%'").GetAwaiter().GetResult();
            };
        }, user.Database()).UpAsync());

        Assert.True(revoked);
        Assert.NotEqual(SwapErrorKind.CutOverTimedOut, e.Kind);
        Assert.Contains("DROP command denied", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("could not take its locks", e.Message, StringComparison.Ordinal);
        Assert.Equal(2000L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items")));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.QueryAsync("SELECT flag FROM items"));

        await target.ExecuteAsync($"GRANT DROP ON `{target.Name}`.* TO '{user.Name}'@'%'");
        var result = await EngineKit.Migrator(target, o => o.Swap.OneTransactionBelowRows = 0, user.Database()).UpAsync();

        Assert.Equal(["MigrateItems"], result.Applied.Select(a => a.Id));
        Assert.Equal(2000L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM items WHERE flag IS NOT NULL")));
        Assert.Empty(await EngineKit.LeftoversAsync(target));
    }

    [Fact]
    public async Task MySql_names_the_missing_privileges_and_the_grant_before_writing_anything()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await using var user = await LeastPrivilegedUser.CreateAsync(target, "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX");
        await EngineKit.CreateItemsAsync(target, 300);
        EngineKit.WriteSwapScript(target);
        await using var trust = await TrustFunctionCreators.SetAsync(target, true);

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, database: user.Database()).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains($"The user '{user.Name}'@'%' lacks TRIGGER, LOCK TABLES on the database `{target.Name}`", e.Message, StringComparison.Ordinal);
        Assert.Contains($"GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, TRIGGER, LOCK TABLES ON `{target.Name}`.* TO '{user.Name}'@'%';", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("log_bin_trust_function_creators", e.Message, StringComparison.Ordinal);
        await AssertUntouchedAsync(target, 300);
    }

    [Fact]
    public async Task MySql_with_binary_logging_and_no_SUPER_asks_for_log_bin_trust_function_creators_then_swaps_once_it_is_set()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        Assert.Equal(1L, Convert.ToInt64(await target.ScalarAsync("SELECT @@GLOBAL.log_bin")));
        await using var user = await LeastPrivilegedUser.CreateAsync(target);
        await EngineKit.CreateItemsAsync(target, 300);
        EngineKit.WriteSwapScript(target);

        await using (await TrustFunctionCreators.SetAsync(target, false))
        {
            var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, database: user.Database()).UpAsync());
            Assert.Equal(SwapErrorKind.Refused, e.Kind);
            Assert.Contains($"Binary logging is on and log_bin_trust_function_creators is OFF, so the server refuses CREATE TRIGGER from '{user.Name}'@'%', which does not have SUPER", e.Message, StringComparison.Ordinal);
            Assert.Contains("SET GLOBAL log_bin_trust_function_creators = 1", e.Message, StringComparison.Ordinal);
            Assert.Contains("on Amazon RDS and Aurora in the DB parameter group", e.Message, StringComparison.Ordinal);
            Assert.Contains("Google Cloud SQL as a database flag", e.Message, StringComparison.Ordinal);
            Assert.Contains("Azure Database for MySQL as a server parameter", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("lacks", e.Message, StringComparison.Ordinal);
            await AssertUntouchedAsync(target, 300);
        }

        await using (await TrustFunctionCreators.SetAsync(target, true))
            await EngineKit.Migrator(target, database: user.Database()).UpAsync();
        var rows = await EngineKit.ReadItemsAsync(target);
        Assert.Equal(300, rows.Count);
        Assert.All(rows, r => Assert.Equal(EngineKit.Flag(r.K), r.Flag));
    }

    [Fact]
    public async Task Postgres_names_the_owner_when_the_user_does_not_own_the_table()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await using var user = await LeastPrivilegedUser.CreateAsync(target);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync($"GRANT SELECT, INSERT, UPDATE, DELETE, TRIGGER ON items TO \"{user.Name}\"");
        var owner = (string)(await target.ScalarAsync("SELECT tableowner FROM pg_tables WHERE tablename = 'items' AND schemaname = current_schema()"))!;
        EngineKit.WriteSwapScript(target);

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, database: user.Database()).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains($"The user \"{user.Name}\" does not own 'items' (its owner is \"{owner}\")", e.Message, StringComparison.Ordinal);
        Assert.Contains($"GRANT \"{owner}\" TO \"{user.Name}\";", e.Message, StringComparison.Ordinal);
        await AssertUntouchedAsync(target, 300);
    }

    [Theory]
    [InlineData("USAGE, CREATE", "may not use the schema")]
    [InlineData("CREATE", "may not create tables in the schema")]
    public async Task Postgres_a_user_without_usage_or_create_on_the_schema_is_refused_with_the_grant(string revoked, string expected)
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.PostgreSql);
        await using var user = await LeastPrivilegedUser.CreateAsync(target);
        await EngineKit.CreateItemsAsync(target, 300);
        await target.ExecuteAsync($"REVOKE {revoked} ON SCHEMA \"{target.Name}\" FROM \"{user.Name}\"");
        EngineKit.WriteSwapScript(target);

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, database: user.Database()).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains($"The user \"{user.Name}\" {expected} '{target.Name}'", e.Message, StringComparison.Ordinal);
        Assert.Contains($"GRANT USAGE, CREATE ON SCHEMA \"{target.Name}\" TO \"{user.Name}\";", e.Message, StringComparison.Ordinal);
        await AssertUntouchedAsync(target, 300);
        Assert.False(await target.Database().TableExistsAsync(await target.OpenAsync(), "swap_history", default));
    }

    [Fact]
    public async Task MySql_names_SET_USER_when_a_trigger_of_another_definer_cannot_be_moved()
    {
        await using var target = await TestTarget.CreateAsync(DatabaseEngine.MySql);
        await using var user = await LeastPrivilegedUser.CreateAsync(target);
        await EngineKit.CreateItemsAsync(target, 300);
        // Made by an administrator: its definer is not the user Swap runs as.
        await target.ExecuteAsync("CREATE DEFINER = 'swap'@'127.0.0.1' TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW SET NEW.n = NEW.n");
        EngineKit.WriteSwapScript(target);
        await using var trust = await TrustFunctionCreators.SetAsync(target, true);

        var e = await Assert.ThrowsAsync<SwapException>(() => EngineKit.Migrator(target, database: user.Database()).UpAsync());

        Assert.Equal(SwapErrorKind.Refused, e.Kind);
        Assert.Contains("its trigger 'items_touch' cannot be recreated on the new table", e.Message, StringComparison.Ordinal);
        Assert.Contains("The trigger's definer is swap@127.0.0.1", e.Message, StringComparison.Ordinal);
        Assert.Contains("GRANT SET USER ON *.*", e.Message, StringComparison.Ordinal);
        // MySQL names it otherwise: SET_USER_ID in 8.0, SET_ANY_DEFINER from 8.2 (8.4 LTS).
        Assert.Contains("GRANT SET_ANY_DEFINER ON *.*", e.Message, StringComparison.Ordinal);
        Assert.Contains("GRANT SET_USER_ID ON *.*", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("keep the columns it uses", e.Message, StringComparison.Ordinal);
        await AssertUntouchedAsync(target, 300);
        Assert.Equal("items_touch", await target.ScalarAsync("SELECT trigger_name FROM information_schema.triggers WHERE event_object_schema = DATABASE() AND event_object_table = 'items'"));
    }

    private static async Task AssertUntouchedAsync(TestTarget target, int rows)
    {
        Assert.DoesNotContain(await EngineKit.LeftoversAsync(target), l => l.Contains("_swap_", StringComparison.Ordinal));
        Assert.Equal(rows, (await EngineKit.ReadItemsAsync(target, withFlag: false)).Count);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => target.QueryAsync("SELECT flag FROM items"));
    }

    /// <summary>Sets MariaDB's global log_bin_trust_function_creators for one test, and puts the old value back.</summary>
    private sealed class TrustFunctionCreators(TestTarget target, long before) : IAsyncDisposable
    {
        public static async Task<TrustFunctionCreators> SetAsync(TestTarget target, bool on)
        {
            var before = Convert.ToInt64(await target.ScalarAsync("SELECT @@GLOBAL.log_bin_trust_function_creators"));
            await target.ExecuteAsync($"SET GLOBAL log_bin_trust_function_creators = {(on ? 1 : 0)}");
            return new TrustFunctionCreators(target, before);
        }

        public async ValueTask DisposeAsync() => await target.ExecuteAsync($"SET GLOBAL log_bin_trust_function_creators = {before}");
    }
}
