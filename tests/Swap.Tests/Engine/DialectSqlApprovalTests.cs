using Swap.Tests.Engine.Approval;

namespace Swap.Tests.Engine;

/// <summary>
/// The shared approved-SQL set: every dialect renders every statement of a swap (copy, capture,
/// chunks, applier, verification, cut-over, clean-up, and the instant planner's) for the same
/// table cases, without a server, and the text must equal the approved file checked into
/// <c>Engine/Approved/&lt;dialect&gt;/&lt;case&gt;.sql</c>.
/// </summary>
public class DialectSqlApprovalTests
{
    public static TheoryData<string, string> DialectsAndCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var dialect in ApprovalDialect.All)
        {
            foreach (var @case in TableCase.All)
                data.Add(dialect.Name, @case.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DialectsAndCases))]
    public void The_generated_sql_equals_the_approved_file(string dialect, string @case)
    {
        var received = CaseSql.Render(ApprovalDialect.Named(dialect), TableCase.Named(@case));
        var approvedPath = ApprovedFiles.Approved(dialect, @case);
        var receivedPath = ApprovedFiles.Received(dialect, @case);
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (approved == received)
        {
            File.Delete(receivedPath);
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(receivedPath)!);
        File.WriteAllText(receivedPath, received);
        var target = ApprovedFiles.ApprovedSource(dialect, @case);
        var what = approved is null
            ? $"There is no approved SQL for {dialect}/{@case} yet."
            : $"The {dialect} SQL of case '{@case}' differs from the approved file in: {string.Join(", ", SqlDocument.DifferingGroups(approved, received))}.";
        Assert.Fail(
            $"{what}\nThe generated SQL is in {receivedPath}.\n" +
            $"Review it (diff {target} {receivedPath}); if it is right, approve it: cp {receivedPath} {target}");
    }

    [Fact]
    public void A_differing_group_is_named_and_the_others_are_not()
    {
        var approved = SqlDocument.Write([("CreateCopy", ["CREATE TABLE a (x int)"]), ("DropOld", ["-- keep it", "DROP TABLE b"])]);
        var received = SqlDocument.Write([("CreateCopy", ["CREATE TABLE a (x int)"]), ("DropOld", ["-- keep it", "DROP TABLE c"]), ("AfterCutOver", [])]);
        Assert.Equal("-- CreateCopy\nCREATE TABLE a (x int);\n\n-- DropOld\n-- keep it\n\nDROP TABLE b;\n\n", approved);
        Assert.Equal(["DropOld", "AfterCutOver"], SqlDocument.DifferingGroups(approved, received));
        Assert.Empty(SqlDocument.DifferingGroups(approved, approved.Replace("\n", "\r\n", StringComparison.Ordinal)));
    }
}
