using Swap.PostgreSql;

namespace Swap.Tests.PostgreSql;

/// <summary>Which PL/pgSQL trigger bodies name a column of the trigger's row (NEW.c / OLD.c), for the refusal of a swap that drops or renames it.</summary>
public class PostgresTriggerFieldTests
{
    [Theory]
    [InlineData("BEGIN NEW.note := 1; RETURN NEW; END", "note", true)]
    [InlineData("BEGIN IF old . Note IS NULL THEN RETURN NULL; END IF; RETURN NEW; END", "note", true)]
    [InlineData("BEGIN NEW.\"note\" := 1; RETURN NEW; END", "note", true)]
    [InlineData("BEGIN NEW.\"Note\" := 1; RETURN NEW; END", "Note", true)]
    // Unquoted, PostgreSQL folds to lower case: NEW.Note is the column note, never "Note".
    [InlineData("BEGIN NEW.Note := 1; RETURN NEW; END", "Note", false)]
    [InlineData("BEGIN NEW.notes := 1; RETURN NEW; END", "note", false)]
    [InlineData("BEGIN INSERT INTO log VALUES (NEW.id, 'note'); RETURN NEW; END", "note", false)]
    [InlineData("BEGIN x := renew.note; RETURN NEW; END", "note", false)]
    public void A_body_names_a_field_of_the_row(string body, string column, bool names) =>
        Assert.Equal(names, PostgresTableEngine.NamesRecordField(body, column));
}
