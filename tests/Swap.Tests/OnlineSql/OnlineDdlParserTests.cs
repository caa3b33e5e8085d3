using Swap.Engine.Schema;
using Swap.OnlineSql;

namespace Swap.Tests.OnlineSql;

public class OnlineDdlParserTests
{
    [Theory]
    [InlineData("ALTER TABLE users ADD COLUMN email VARCHAR(200) NOT NULL DEFAULT '' AFTER name", "users", new[] { "ADD COLUMN email VARCHAR(200) NOT NULL DEFAULT '' AFTER name" })]
    [InlineData("alter table `users` add `nick` varchar(20) null first, drop column legacy;", "users", new[] { "add `nick` varchar(20) null first", "drop column legacy" })]
    [InlineData("ALTER TABLE \"users\" ALTER COLUMN age TYPE bigint, ALTER COLUMN name SET NOT NULL, ALTER COLUMN note DROP DEFAULT", "users", new[] { "ALTER COLUMN age TYPE bigint", "ALTER COLUMN name SET NOT NULL", "ALTER COLUMN note DROP DEFAULT" })]
    [InlineData("ALTER TABLE users MODIFY COLUMN age BIGINT NOT NULL DEFAULT 0, CHANGE nick nickname VARCHAR(40)", "users", new[] { "MODIFY COLUMN age BIGINT NOT NULL DEFAULT 0", "CHANGE nick nickname VARCHAR(40)" })]
    [InlineData("ALTER TABLE users RENAME COLUMN a TO b, ADD INDEX idx_email (email), ADD UNIQUE KEY uq_nick (nick(10)), DROP INDEX idx_old", "users", new[] { "RENAME COLUMN a TO b", "ADD INDEX idx_email(email)", "ADD UNIQUE KEY uq_nick(nick(10))", "DROP INDEX idx_old" })]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE NO ACTION", "orders", new[] { "ADD CONSTRAINT fk_user FOREIGN KEY(user_id) REFERENCES users(id) ON DELETE CASCADE ON UPDATE NO ACTION" })]
    [InlineData("ALTER TABLE t ADD COLUMN created TIMESTAMP WITH TIME ZONE DEFAULT now(), ADD COLUMN d DOUBLE PRECISION DEFAULT -1.5", "t", new[] { "ADD COLUMN created TIMESTAMP WITH TIME ZONE DEFAULT now()", "ADD COLUMN d DOUBLE PRECISION DEFAULT -1.5" })]
    [InlineData("ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, code)", "t", new[] { "DROP PRIMARY KEY", "ADD PRIMARY KEY(id, code)" })]
    [InlineData("ALTER TABLE t ADD CONSTRAINT pk PRIMARY KEY (id, code), DROP PRIMARY KEY", "t", new[] { "ADD CONSTRAINT pk PRIMARY KEY(id, code)", "DROP PRIMARY KEY" })]
    [InlineData("ALTER TABLE t ADD COLUMN c VARCHAR(10) NOT NULL DEFAULT 'none'::character varying, ALTER COLUMN d SET DEFAULT '2026-01-01'::timestamp(6) without time zone", "t", new[] { "ADD COLUMN c VARCHAR(10) NOT NULL DEFAULT 'none'::character varying", "ALTER COLUMN d SET DEFAULT '2026-01-01'::timestamp(6) without time zone" })]
    [InlineData("ALTER TABLE t ADD COLUMN c text DEFAULT 'x'::text NOT NULL AFTER b", "t", new[] { "ADD COLUMN c text DEFAULT 'x'::text NOT NULL AFTER b" })]
    [InlineData("ALTER TABLE users ADD COLUMN nick VARCHAR(20), ALGORITHM=INPLACE, LOCK=NONE", "users", new[] { "ADD COLUMN nick VARCHAR(20)" })]
    [InlineData("ALTER TABLE users ALGORITHM = INSTANT, DROP COLUMN legacy, LOCK DEFAULT", "users", new[] { "DROP COLUMN legacy" })]
    public void Alter_table_clauses_become_one_edit_each(string sql, string table, string[] clauses)
    {
        var edits = OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!;

        Assert.All(edits, e => Assert.Equal(table, e.Table));
        Assert.Equal(clauses, edits.Select(e => e.Clause));
    }

    [Theory]
    [InlineData("CREATE INDEX idx_a ON items (a, b)", "items", null)]
    [InlineData("CREATE UNIQUE INDEX CONCURRENTLY uq ON items (email)", "items", null)]
    [InlineData("DROP INDEX idx_a ON items", "items", "idx_a")]
    [InlineData("DROP INDEX CONCURRENTLY idx_a", null, "idx_a")]
    public void Index_statements_name_their_table_or_leave_it_to_be_looked_up(string sql, string? table, string? index)
    {
        var edit = Assert.Single(OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!);

        Assert.Equal(table, edit.Table);
        Assert.Equal(index, edit.IndexName);
    }

    [Theory]
    [InlineData("INSERT INTO t VALUES (1)")]
    [InlineData("CREATE TABLE t (id INT PRIMARY KEY)")]
    [InlineData("UPDATE users SET a = 1")]
    [InlineData("DROP TABLE t")]
    public void Other_statements_run_as_written(string sql) => Assert.Null(OnlineDdlParser.Parse(sql, DatabaseEngine.MySql));

    [Theory]
    [InlineData("ALTER TABLE t ADD COLUMN id2 INT AUTO_INCREMENT", "'AUTO_INCREMENT' in 'ADD COLUMN id2 INT AUTO_INCREMENT' is a column option Swap does not run online")]
    [InlineData("ALTER TABLE t ADD COLUMN IF NOT EXISTS x INT", "'ADD COLUMN IF NOT EXISTS' uses IF NOT EXISTS")]
    [InlineData("ALTER TABLE t RENAME TO u", "'RENAME TO u' renames something other than a column")]
    [InlineData("ALTER TABLE t ALTER COLUMN a TYPE int USING a::int", "converts with USING")]
    [InlineData("ALTER TABLE s.t ADD COLUMN x INT", "'s.t' is qualified with a schema")]
    [InlineData("ALTER TABLE t ENGINE=MyISAM", "'ENGINE = MyISAM' moves the table to another storage engine")]
    [InlineData("ALTER TABLE t MODIFY c VARCHAR(10) COLLATE", "'COLLATE' has no name")]
    [InlineData("CREATE INDEX i ON t (lower(email))", "indexes an expression")]
    [InlineData("CREATE INDEX i ON t (a) WHERE a > 0", "'WHERE a > 0' follows the column list")]
    [InlineData("ALTER TABLE t ADD CONSTRAINT c EXCLUDE (a WITH =)", "adds a kind of constraint Swap does not run online")]
    [InlineData("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT ENFORCED", "'ADD CONSTRAINT c CHECK (a > 0) NOT ENFORCED' leaves existing rows unchecked")]
    [InlineData("ALTER TABLE t ADD CHECK (a > 0) NOT VALID", "leaves existing rows unchecked")]
    [InlineData("ALTER TABLE t ADD CHECK a > 0", "expected '(' and the check's expression here")]
    [InlineData("ALTER TABLE t ADD CHECK ()", "has no expression in its parentheses")]
    [InlineData("ALTER TABLE t ALGORITHM=INPLACE, LOCK=NONE", "changes nothing but how MySQL would run it")]
    [InlineData("ALTER TABLE t ADD COLUMN x INT, ALGORITHM=", "'ALGORITHM =' has no value")]
    public void Clauses_outside_the_grammar_are_refused_naming_the_clause(string sql, string message)
    {
        var error = Assert.Throws<OnlineDdlException>(() => OnlineDdlParser.Parse(sql, DatabaseEngine.MySql));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ALTER TABLE t ADD FULLTEXT INDEX ft (body)", "'ADD FULLTEXT' is not a clause Swap runs online")]
    [InlineData("ALTER TABLE t ADD SPATIAL (pt)", "'ADD SPATIAL' is not a clause Swap runs online")]
    [InlineData("ALTER TABLE t ADD PERIOD FOR p (s, e)", "'ADD PERIOD FOR' is not a clause Swap runs online")]
    [InlineData("ALTER TABLE t ADD SYSTEM VERSIONING", "'ADD SYSTEM VERSIONING' is not a clause Swap runs online")]
    public void Mysql_reserved_words_after_add_are_refused_not_read_as_a_column(string sql, string message)
    {
        var error = Assert.Throws<OnlineDdlException>(() => OnlineDdlParser.Parse(sql, DatabaseEngine.MySql));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ALTER TABLE t ADD (a INT NOT NULL DEFAULT 7, b VARCHAR(10), c DECIMAL(5,2) NULL), DROP COLUMN old", "ADD(a INT NOT NULL DEFAULT 7, b VARCHAR(10), c DECIMAL(5, 2) NULL)")]
    [InlineData("ALTER TABLE t ADD COLUMN (a INT NOT NULL DEFAULT 7, b VARCHAR(10), c DECIMAL(5,2)), DROP COLUMN old", "ADD COLUMN(a INT NOT NULL DEFAULT 7, b VARCHAR(10), c DECIMAL(5, 2))")]
    public void Mysql_adds_a_parenthesized_list_of_columns_in_one_clause(string sql, string clause)
    {
        var edits = OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!;
        var model = new DbTable(
            new TableSchema { Name = "t", Columns = [new ColumnSchema("id", "int", false), new ColumnSchema("old", "int", true)], PrimaryKey = ["id"] },
            "_t_swap_new", Dialect(DatabaseEngine.MySql), readOnly: false);

        Assert.Equal([clause, "DROP COLUMN old"], edits.Select(e => e.Clause));
        foreach (var edit in edits)
            edit.Apply(model);

        Assert.Equal(["id", "a", "b", "c"], model.Columns.Select(c => c.Name));
        Assert.False(model.GetColumn("a").Nullable);
        Assert.True(model.GetColumn("b").Nullable);
    }

    [Theory]
    [InlineData("ALTER TABLE t ADD (a INT, INDEX (a))", "puts a key or constraint in the column list")]
    [InlineData("ALTER TABLE t ADD (a INT FIRST)", "'FIRST' in 'a INT FIRST' is a column option Swap does not run online")]
    [InlineData("ALTER TABLE t ADD (a INT, b INT", "expected ')'")]
    public void Mysql_column_lists_hold_columns_only(string sql, string message) =>
        Assert.Contains(message, Assert.Throws<OnlineDdlException>(() => OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("ALTER TABLE t ADD `fulltext` INT, ADD period INT, ADD system INT", DatabaseEngine.MySql)]
    [InlineData("ALTER TABLE t ADD fulltext tsvector, ADD partition int", DatabaseEngine.PostgreSql)]
    public void Columns_named_like_those_words_are_still_columns(string sql, DatabaseEngine engine) =>
        Assert.Equal(3 - (engine == DatabaseEngine.PostgreSql ? 1 : 0), OnlineDdlParser.Parse(sql, engine)!.Count);

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql, "ALTER TABLE t RENAME a TO b", null)]
    [InlineData(DatabaseEngine.MySql, "ALTER TABLE t RENAME a TO b", "'RENAME a TO' renames something other than a column")]
    [InlineData(DatabaseEngine.PostgreSql, "ALTER TABLE t RENAME TO u", "'RENAME TO u' renames something other than a column")]
    [InlineData(DatabaseEngine.PostgreSql, "ALTER TABLE t RENAME CONSTRAINT a TO b", "'RENAME CONSTRAINT a' renames something other than a column")]
    public void PostgreSQLs_rename_without_column_renames_a_column_there_only(DatabaseEngine engine, string sql, string? refusal)
    {
        if (refusal is not null)
        {
            Assert.Contains(refusal, Assert.Throws<OnlineDdlException>(() => OnlineDdlParser.Parse(sql, engine)).Message, StringComparison.Ordinal);
            return;
        }
        var model = new DbTable(
            new TableSchema { Name = "t", Columns = [new ColumnSchema("id", "int", false), new ColumnSchema("a", "int", true)], PrimaryKey = ["id"] },
            "_t_swap_new", Dialect(engine), readOnly: false);

        Assert.Single(OnlineDdlParser.Parse(sql, engine)!).Apply(model);

        Assert.Equal(["id", "b"], model.Columns.Select(c => c.Name));
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql, "items", "idx_flag", "newcol", "ix_items_newcol")]
    [InlineData(DatabaseEngine.MySql, "Items", "IDX_Flag", "NewCol", "NewCol")]
    [InlineData(DatabaseEngine.Sqlite, "Items", "IDX_Flag", "NewCol", "ix_Items_NewCol")]
    public void Unquoted_names_are_read_as_the_engine_reads_them_and_quoted_ones_as_written(DatabaseEngine engine, string table, string index, string column, string indexOfColumn)
    {
        var alter = OnlineDdlParser.Parse("ALTER TABLE Items ADD COLUMN NewCol INT, ADD INDEX (NewCol), ADD COLUMN \"Quoted\" INT", engine)!;
        var drop = Assert.Single(OnlineDdlParser.Parse("DROP INDEX CONCURRENTLY IDX_Flag", engine)!);
        var create = Assert.Single(OnlineDdlParser.Parse("CREATE INDEX IDX_Flag ON \"Items\" (Flag)", engine)!);
        var model = new DbTable(
            new TableSchema { Name = table, Columns = [new ColumnSchema("id", "int", false)], PrimaryKey = ["id"] },
            "_items_swap_new", Dialect(engine), readOnly: false);

        foreach (var edit in alter)
            edit.Apply(model);

        Assert.All(alter, e => Assert.Equal(table, e.Table));
        Assert.Equal(index, drop.IndexName);
        Assert.Equal("Items", create.Table);
        Assert.Equal(["id", column, "Quoted"], model.Columns.Select(c => c.Name));
        Assert.Equal([indexOfColumn], model.IndexNames);
    }

    [Theory]
    [InlineData("ALTER TABLE t MODIFY `c` varchar(128) CHARACTER SET utf8mb4 NOT NULL", "varchar(128) CHARACTER SET utf8mb4")]
    [InlineData("ALTER TABLE t CHANGE c c enum('red', 'blue') null default null collate 'utf8_bin'", "enum('red', 'blue') COLLATE utf8_bin")]
    [InlineData("ALTER TABLE t MODIFY c TEXT NOT NULL CHARSET latin1 COLLATE = latin1_bin", "TEXT CHARACTER SET latin1 COLLATE latin1_bin")]
    [InlineData("ALTER TABLE t ADD COLUMN d VARCHAR(10) CHARACTER SET ascii NULL AFTER c", "VARCHAR(10) CHARACTER SET ascii")]
    public void Mysql_character_set_and_collation_go_with_the_type(string sql, string type)
    {
        var model = new DbTable(
            new TableSchema { Name = "t", Columns = [new ColumnSchema("id", "int(11)", false), new ColumnSchema("c", "varchar(40)", true)], PrimaryKey = ["id"] },
            "_t_swap_new", Dialect(DatabaseEngine.MySql), readOnly: false);

        Assert.Single(OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!).Apply(model);

        Assert.Equal(type, model.Columns[^1].Type!.Native);
    }

    [Theory]
    [InlineData(DatabaseEngine.MySql, "ALTER TABLE t ADD COLUMN sum_ab INT AS (a + b) VIRTUAL", "a + b", false)]
    [InlineData(DatabaseEngine.MySql, "ALTER TABLE t ADD COLUMN sum_ab INT AS ((a + b) * 2)", "(a + b) * 2", false)]
    [InlineData(DatabaseEngine.MySql, "ALTER TABLE t ADD sum_ab INT GENERATED ALWAYS AS (a + b) PERSISTENT", "a + b", true)]
    [InlineData(DatabaseEngine.PostgreSql, "ALTER TABLE t ADD COLUMN sum_ab integer GENERATED ALWAYS AS (a + b) STORED", "a + b", true)]
    [InlineData(DatabaseEngine.Sqlite, "ALTER TABLE t ADD COLUMN sum_ab INTEGER GENERATED ALWAYS AS (a + b)", "a + b", false)]
    public void A_generated_column_takes_its_expression_as_written(DatabaseEngine engine, string sql, string expression, bool stored)
    {
        var model = new DbTable(
            new TableSchema { Name = "t", Columns = [new ColumnSchema("id", "int", false), new ColumnSchema("a", "int", false), new ColumnSchema("b", "int", false)], PrimaryKey = ["id"] },
            "_t_swap_new", Dialect(engine), readOnly: false);

        Assert.Single(OnlineDdlParser.Parse(sql, engine)!).Apply(model);

        var column = model.GetColumn("sum_ab");
        Assert.Equal((expression, stored), (column.GeneratedExpression, column.GeneratedStored));
    }

    [Theory]
    [InlineData("ALTER TABLE t ADD COLUMN note VARCHAR(20) NULL COMMENT 'it''s a note' AFTER a", "note", "'it''s a note'")]
    [InlineData("ALTER TABLE t MODIFY a INT NOT NULL COMMENT 'the a'", "a", "'the a'")]
    public void Mysql_a_comment_is_kept_as_written(string sql, string column, string comment)
    {
        var model = new DbTable(
            new TableSchema { Name = "t", Columns = [new ColumnSchema("id", "int", false), new ColumnSchema("a", "int", false)], PrimaryKey = ["id"] },
            "_t_swap_new", Dialect(DatabaseEngine.MySql), readOnly: false);

        Assert.Single(OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!).Apply(model);

        Assert.Equal(comment, model.GetColumn(column).CommentSql);
        Assert.Equal(column == "a" ? "the comment of a changes" : null, Swap.Instant.TableDiff.Of(model, Dialect(DatabaseEngine.MySql)).NeedsCopy);
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql, "ALTER TABLE t ADD COLUMN n int GENERATED ALWAYS AS IDENTITY", "'GENERATED ALWAYS' in 'ADD COLUMN n int GENERATED ALWAYS AS IDENTITY' is a column option Swap does not run online")]
    [InlineData(DatabaseEngine.PostgreSql, "ALTER TABLE t ADD COLUMN n int GENERATED BY DEFAULT AS IDENTITY", "'GENERATED BY' in ")]
    [InlineData(DatabaseEngine.PostgreSql, "ALTER TABLE t ADD COLUMN n text COMMENT 'x'", "'COMMENT 'x'' in ")]
    [InlineData(DatabaseEngine.MySql, "ALTER TABLE t ADD COLUMN n INT AS (a) DEFAULT 1", "is generated and has a DEFAULT")]
    [InlineData(DatabaseEngine.MySql, "ALTER TABLE t ADD COLUMN n INT COMMENT", "'COMMENT' has no text")]
    public void Column_options_outside_the_grammar_are_refused(DatabaseEngine engine, string sql, string message) =>
        Assert.Contains(message, Assert.Throws<OnlineDdlException>(() => OnlineDdlParser.Parse(sql, engine)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("ALTER TABLE t CHANGE COLUMN c c INT NOT NULL AFTER id", "id,c,a,b")]
    [InlineData("ALTER TABLE t MODIFY b INT NULL FIRST", "b,id,a,c")]
    [InlineData("ALTER TABLE t CHANGE COLUMN a a2 INT NOT NULL, CHANGE COLUMN c c INT NOT NULL AFTER id", "id,c,a2,b")]
    public void Mysql_modify_and_change_move_a_column_and_the_table_is_copied(string sql, string order)
    {
        var model = new DbTable(
            new TableSchema { Name = "t", Columns = [new ColumnSchema("id", "int", false), new ColumnSchema("a", "int", false), new ColumnSchema("b", "int", true), new ColumnSchema("c", "int", false)], PrimaryKey = ["id"] },
            "_t_swap_new", Dialect(DatabaseEngine.MySql), readOnly: false);

        foreach (var edit in OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!)
            edit.Apply(model);

        Assert.Equal(order, string.Join(",", model.Columns.Select(c => c.Name)));
        Assert.Equal("existing columns change their order", Swap.Instant.TableDiff.Of(model, Dialect(DatabaseEngine.MySql)).NeedsCopy);
    }

    [Theory]
    [InlineData("ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4", "CHARACTER SET utf8mb4")]
    [InlineData("ALTER TABLE t CONVERT TO CHARSET utf8mb4 COLLATE utf8mb4_unicode_ci", "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")]
    public void Mysql_convert_to_a_character_set_copies_the_table(string sql, string clause)
    {
        var model = new DbTable(
            new TableSchema { Name = "t", Columns = [new ColumnSchema("id", "int(11)", false), new ColumnSchema("c", "varchar(40)", true)], PrimaryKey = ["id"] },
            "_t_swap_new", Dialect(DatabaseEngine.MySql), readOnly: false);

        Assert.Single(OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!).Apply(model);

        Assert.Equal(clause, model.ConvertTo);
        Assert.Equal($"the table is converted to {clause}, which rewrites every row", Swap.Instant.TableDiff.Of(model, Dialect(DatabaseEngine.MySql)).NeedsCopy);
    }

    [Fact]
    public void Postgres_takes_no_collate_in_a_column_definition() =>
        Assert.Contains(
            "in 'ADD COLUMN d text COLLATE \"C\"' is a column option Swap does not run online (it runs NULL, NOT NULL, DEFAULT, GENERATED ALWAYS AS, FIRST and AFTER);",
            Assert.Throws<OnlineDdlException>(() => OnlineDdlParser.Parse("ALTER TABLE t ADD COLUMN d text COLLATE \"C\"", DatabaseEngine.PostgreSql)).Message,
            StringComparison.Ordinal);

    [Theory]
    [InlineData("ALTER TABLE t ENGINE=InnoDB")]
    [InlineData("ALTER TABLE t ENGINE = 'innodb'")]
    [InlineData("ALTER TABLE t FORCE")]
    public void Mysql_engine_innodb_and_force_rebuild_the_table_as_a_copy(string sql)
    {
        var model = new DbTable(
            new TableSchema { Name = "t", Columns = [new ColumnSchema("id", "int(11)", false)], PrimaryKey = ["id"] },
            "_t_swap_new", Dialect(DatabaseEngine.MySql), readOnly: false);

        Assert.Single(OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!).Apply(model);

        Assert.True(model.CopyForced);
    }

    [Theory]
    [InlineData("ALTER TABLE t MODIFY c INT NOT NULL", "int(11)", "making c NOT NULL checks every row")]
    [InlineData("ALTER TABLE t MODIFY COLUMN c integer  NOT NULL", "int(11)", "making c NOT NULL checks every row")]
    [InlineData("ALTER TABLE t CHANGE c c INT UNSIGNED NOT NULL", "int(10) unsigned", "making c NOT NULL checks every row")]
    [InlineData("ALTER TABLE t MODIFY c BIGINT NOT NULL", "int(11)", "changing the type of c rewrites every row")]
    [InlineData("ALTER TABLE t MODIFY c VARCHAR(20) NOT NULL", "varchar(40)", "changing the type of c rewrites every row")]
    [InlineData("ALTER TABLE t MODIFY c VARCHAR(40) NOT NULL", "varchar(40)", "changing the type of c rewrites every row")]
    public void A_restated_type_that_is_the_same_is_no_type_change(string sql, string nativeType, string reason)
    {
        // Before: MODIFY c INT NOT NULL over int(11) was planned "changing the type of c rewrites every row".
        var model = new DbTable(
            new TableSchema { Name = "t", Columns = [new ColumnSchema("id", "int(11)", false), new ColumnSchema("c", nativeType, true)], PrimaryKey = ["id"] },
            "_t_swap_new", Dialect(DatabaseEngine.MySql), readOnly: false);

        Assert.Single(OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!).Apply(model);

        Assert.Equal(reason, Swap.Instant.TableDiff.Of(model, Dialect(DatabaseEngine.MySql)).NeedsCopy);
    }

    /// <summary>
    /// MySQL's MODIFY restates the whole column: an attribute left out is gone, so the plan copies the
    /// table with the restated definition; restated as it was, nothing of it changes.
    /// </summary>
    [Theory]
    [InlineData("ALTER TABLE t MODIFY id INT NOT NULL", "id is restated without AUTO_INCREMENT")]
    [InlineData("ALTER TABLE t MODIFY id INT NOT NULL AUTO_INCREMENT", null)]
    [InlineData("ALTER TABLE t MODIFY ts TIMESTAMP NOT NULL", "ts is restated without ON UPDATE")]
    [InlineData("ALTER TABLE t MODIFY ts TIMESTAMP NOT NULL DEFAULT 0 ON UPDATE CURRENT_TIMESTAMP", null)]
    [InlineData("ALTER TABLE t MODIFY h INT NULL INVISIBLE", null)]
    [InlineData("ALTER TABLE t MODIFY h INT NULL", "h is restated visible")]
    [InlineData("ALTER TABLE t MODIFY k INT NULL", "k is restated without its CHECK")]
    [InlineData("ALTER TABLE t MODIFY k INT NULL CHECK (`k` > 0)", null)]
    [InlineData("ALTER TABLE t MODIFY c INT NULL", "c is restated without its COMMENT")]
    public void A_mysql_modify_drops_what_it_leaves_out(string sql, string? reason)
    {
        var model = new DbTable(
            new TableSchema
            {
                Name = "t",
                Columns =
                [
                    new ColumnSchema("id", "int(11)", false, AutoIncrement: true) { Extra = new Dictionary<string, string> { ["ddl"] = "int(11) NOT NULL AUTO_INCREMENT" } },
                    new ColumnSchema("ts", "timestamp", false, "current_timestamp()") { Extra = new Dictionary<string, string> { ["ddl"] = "timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp()" } },
                    new ColumnSchema("h", "int(11)", true) { Extra = new Dictionary<string, string> { ["ddl"] = "int(11) INVISIBLE DEFAULT NULL", ["invisible"] = "1" } },
                    new ColumnSchema("k", "int(11)", true) { Extra = new Dictionary<string, string> { ["ddl"] = "int(11) DEFAULT NULL CHECK (`k` > 0)" } },
                    new ColumnSchema("c", "int(11)", true) { Extra = new Dictionary<string, string> { ["ddl"] = "int(11) DEFAULT NULL COMMENT 'note'" } },
                ],
                PrimaryKey = ["id"],
            },
            "_t_swap_new", Dialect(DatabaseEngine.MySql), readOnly: false);

        Assert.Single(OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!).Apply(model);

        Assert.Equal(reason, Swap.Instant.TableDiff.Of(model, Dialect(DatabaseEngine.MySql)).NeedsCopy);
    }

    /// <summary>
    /// MySQL/MariaDB name an index added without a name after its first column (as the table spells
    /// it), with _2, _3 ... on a clash with an index of the table, the statement's earlier ones, or
    /// PRIMARY; Swap names it so too (it named them ix_/ux_&lt;table&gt;_&lt;columns&gt;).
    /// </summary>
    [Theory]
    [InlineData("ALTER TABLE t ADD UNIQUE KEY (A)", "a")]
    [InlineData("ALTER TABLE t ADD INDEX (b, a)", "b_2")]
    [InlineData("ALTER TABLE t ADD UNIQUE KEY (a), ADD INDEX (a, b), ADD KEY (a)", "a,a_2,a_3")]
    [InlineData("ALTER TABLE t ADD KEY (`primary`)", "primary_2")]
    [InlineData("ALTER TABLE t ADD INDEX (b(10)), ADD INDEX b_2x (a), ADD UNIQUE KEY (b)", "b_2,b_2x,b_3")]
    public void An_unnamed_mysql_index_is_named_as_the_server_names_it(string sql, string names)
    {
        var model = new DbTable(
            new TableSchema
            {
                Name = "t",
                Columns = [new ColumnSchema("id", "int", false), new ColumnSchema("a", "int", true), new ColumnSchema("b", "varchar(20)", true), new ColumnSchema("primary", "int", true)],
                PrimaryKey = ["id"],
                Indexes = [new IndexSchema("b", [new IndexColumn("b", null)], false)],
            },
            "_t_swap_new", Dialect(DatabaseEngine.MySql), readOnly: false);

        foreach (var edit in OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!)
            edit.Apply(model);

        Assert.Equal(names, string.Join(",", model.IndexNames.Skip(1)));
    }

    /// <summary>MariaDB names a CHECK added without a name CONSTRAINT_n, the first n free in the table.</summary>
    [Theory]
    [InlineData("ALTER TABLE t ADD CHECK (a > 0)", "ck_t_1,CONSTRAINT_1")]
    [InlineData("ALTER TABLE t ADD CONSTRAINT CONSTRAINT_1 CHECK (a > 1), ADD CHECK (a > 0), ADD CHECK (a < 9)", "ck_t_1,CONSTRAINT_1,CONSTRAINT_2,CONSTRAINT_3")]
    public void An_unnamed_mysql_check_is_named_as_mariadb_names_it(string sql, string names)
    {
        var model = new DbTable(
            new TableSchema { Name = "t", Columns = [new ColumnSchema("id", "int", false), new ColumnSchema("a", "int", true)], PrimaryKey = ["id"], Checks = [new CheckSchema("ck_t_1", "a <> 5")] },
            "_t_swap_new", Dialect(DatabaseEngine.MySql), readOnly: false);

        foreach (var edit in OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!)
            edit.Apply(model);

        Assert.Equal(names, string.Join(",", model.CheckNames));
    }

    [Theory]
    [InlineData(DatabaseEngine.MySql, "ALTER TABLE t ADD CONSTRAINT `ck pos` CHECK (`a` >= -1 AND (b <> 'x)' OR b IS NULL)) ENFORCED", "ck pos", "`a` >= -1 AND (b <> 'x)' OR b IS NULL)")]
    [InlineData(DatabaseEngine.PostgreSql, "ALTER TABLE t ADD CONSTRAINT Pos CHECK (a>=0)", "pos", "a>=0")]
    [InlineData(DatabaseEngine.Sqlite, "ALTER TABLE t ADD CHECK ( a > 0 /* positive */ )", "ck_t_2", "a > 0 /* positive */")]
    public void A_check_keeps_its_expression_as_written_and_is_named_when_the_clause_names_none(DatabaseEngine engine, string sql, string name, string expression)
    {
        var model = new DbTable(
            new TableSchema { Name = "t", Columns = [new ColumnSchema("id", "int", false), new ColumnSchema("a", "int", true), new ColumnSchema("b", "text", true)], PrimaryKey = ["id"], Checks = [new CheckSchema("ck_t_1", "b <> ''")] },
            "_t_swap_new", Dialect(engine), readOnly: false);

        Assert.Single(OnlineDdlParser.Parse(sql, engine)!).Apply(model);

        Assert.Equal(["ck_t_1", name], model.CheckNames);
        var added = model.Checks[1];
        Assert.Equal(expression, added.Expression);
        Assert.Null(added.Original);
        Assert.Equal($"add check {name} ({expression})", model.Changes.Single());
    }

    [Theory]
    [InlineData(DatabaseEngine.MySql, "ALTER TABLE t DROP CHECK ck_a")]
    [InlineData(DatabaseEngine.MySql, "ALTER TABLE t DROP CONSTRAINT CK_A")]
    [InlineData(DatabaseEngine.PostgreSql, "ALTER TABLE t DROP CONSTRAINT ck_a")]
    public void Drop_constraint_drops_a_check_of_that_name(DatabaseEngine engine, string sql)
    {
        var model = new DbTable(
            new TableSchema { Name = "t", Columns = [new ColumnSchema("id", "int", false), new ColumnSchema("a", "int", true)], PrimaryKey = ["id"], Checks = [new CheckSchema("ck_a", "a > 0"), new CheckSchema("ck_b", "a < 9")] },
            "_t_swap_new", Dialect(engine), readOnly: false);

        Assert.Single(OnlineDdlParser.Parse(sql, engine)!).Apply(model);

        Assert.Equal(["ck_b"], model.CheckNames);
        var diff = Swap.Instant.TableDiff.Of(model, Dialect(engine));
        Assert.Equal("ck_a", Assert.Single(diff.ChecksDropped).Name);
        Assert.Empty(diff.ChecksAdded);
    }

    [Theory]
    [InlineData("ALTER TABLE t AUTO_INCREMENT = 1000", 1000UL, "instant")]
    [InlineData("ALTER TABLE t AUTO_INCREMENT 7", 7UL, "instant")]
    [InlineData("ALTER TABLE t ADD COLUMN x INT, AUTO_INCREMENT=12, ALGORITHM=INPLACE", 12UL, "instant")]
    [InlineData("ALTER TABLE t AUTO_INCREMENT = 5, ADD INDEX ix (c)", 5UL, "in place")]
    public void Auto_increment_sets_the_counter_in_place(string sql, ulong next, string method)
    {
        // Before: 'AUTO_INCREMENT =' is not a clause Swap runs online (exit 7).
        var model = new DbTable(
            new TableSchema { Name = "t", Columns = [new ColumnSchema("id", "int(11)", false, AutoIncrement: true), new ColumnSchema("c", "int(11)", true)], PrimaryKey = ["id"] },
            "_t_swap_new", Dialect(DatabaseEngine.MySql), readOnly: false);

        foreach (var edit in OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!)
            edit.Apply(model);

        Assert.Equal(next, model.AutoIncrementNext);
        Assert.Contains($"auto_increment = {next}", model.Changes);
        var plan = Dialect(DatabaseEngine.MySql).PlanChange(Swap.Instant.TableDiff.Of(model, Dialect(DatabaseEngine.MySql)));
        Assert.Equal(method, Swap.Instant.ChangePlan.Name(plan.Method));
        Assert.Equal($"ALTER TABLE `t` AUTO_INCREMENT = {next}, ALGORITHM=INPLACE, LOCK=NONE", plan.Statements[0]);
    }

    [Theory]
    [InlineData(DatabaseEngine.MySql, "ALTER TABLE t AUTO_INCREMENT = abc", "'AUTO_INCREMENT = abc' needs a whole number")]
    [InlineData(DatabaseEngine.MySql, "ALTER TABLE t AUTO_INCREMENT = -5", "needs a whole number")]
    [InlineData(DatabaseEngine.PostgreSql, "ALTER TABLE t AUTO_INCREMENT = 5", "PostgreSQL numbers rows from a sequence: run ALTER SEQUENCE <sequence> RESTART WITH n")]
    [InlineData(DatabaseEngine.Sqlite, "ALTER TABLE t AUTO_INCREMENT = 5", "SQLite numbers AUTOINCREMENT rows from sqlite_sequence")]
    public void Auto_increment_is_refused_where_it_is_not_a_table_option_or_has_no_number(DatabaseEngine engine, string sql, string message) =>
        Assert.Contains(message, Assert.Throws<OnlineDdlException>(() => OnlineDdlParser.Parse(sql, engine)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("ALTER TABLE t DROP PRIMARY KEY", new string[0], new[] { "uk_b" })]
    [InlineData("ALTER TABLE t DROP PRIMARY KEY, ADD UNIQUE KEY ux (id)", new string[0], new[] { "uk_b", "ux" })]
    [InlineData("ALTER TABLE t ADD UNIQUE KEY ux (id), DROP PRIMARY KEY", new string[0], new[] { "uk_b", "ux" })]
    [InlineData("ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, b)", new[] { "id", "b" }, new string[0])]
    public void Drop_primary_key_leaves_the_table_keyed_by_a_not_null_unique_key(string sql, string[] primaryKey, string[] keys)
    {
        // Before: 'DROP PRIMARY KEY' drops the primary key; an online swap needs a key (refused, exit 7), though MySQL takes it.
        var model = new DbTable(
            new TableSchema
            {
                Name = "t",
                Columns = [new ColumnSchema("id", "int(11)", false), new ColumnSchema("b", "int(11)", false), new ColumnSchema("c", "int(11)", true)],
                PrimaryKey = ["id"],
                Indexes = [new IndexSchema("uk_b", [new IndexColumn("b")], true), new IndexSchema("uk_c", [new IndexColumn("c")], true)],
            },
            "_t_swap_new", Dialect(DatabaseEngine.MySql), readOnly: false);

        foreach (var edit in OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!)
            edit.Apply(model);

        Assert.Equal(primaryKey, model.PrimaryKey);
        Assert.Equal(keys, model.Indexes.Where(model.CanKey).Select(i => i.Name));
        Assert.Equal("the primary key changes", Swap.Instant.TableDiff.Of(model, Dialect(DatabaseEngine.MySql)).NeedsCopy);
    }

    [Theory]
    [InlineData("ALTER TABLE t DROP PRIMARY KEY")]
    [InlineData("ALTER TABLE t DROP PRIMARY KEY, ADD UNIQUE KEY uc (c)")]
    [InlineData("ALTER TABLE t DROP PRIMARY KEY, MODIFY b INT NULL")]
    public void Drop_primary_key_without_a_not_null_unique_key_left_is_refused(string sql)
    {
        var model = new DbTable(
            new TableSchema
            {
                Name = "t",
                Columns = [new ColumnSchema("id", "int(11)", false), new ColumnSchema("b", "int(11)", false), new ColumnSchema("c", "int(11)", true)],
                PrimaryKey = ["id"],
                Indexes = sql.Contains("MODIFY b", StringComparison.Ordinal) ? [new IndexSchema("uk_b", [new IndexColumn("b")], true)] : [],
            },
            "_t_swap_new", Dialect(DatabaseEngine.MySql), readOnly: false);

        var error = Assert.Throws<SwapException>(() =>
        {
            foreach (var edit in OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!)
                edit.Apply(model);
        });

        Assert.Equal("it drops the primary key of 't' and leaves no unique key over NOT NULL columns; an online swap needs a key (as InnoDB does, which then clusters the table by such a unique key). "
            + "Replace it in the same statement with ADD PRIMARY KEY (...), or keep or add a UNIQUE key whose columns are all NOT NULL (for example ADD UNIQUE KEY (id))", error.Message);
    }

    [Theory]
    [InlineData(DatabaseEngine.PostgreSql)]
    [InlineData(DatabaseEngine.Sqlite)]
    public void Drop_primary_key_alone_stays_refused_outside_mysql(DatabaseEngine engine) =>
        Assert.Contains("'DROP PRIMARY KEY' drops the primary key", Assert.Throws<OnlineDdlException>(() => OnlineDdlParser.Parse("ALTER TABLE t DROP PRIMARY KEY, ADD UNIQUE (id)", engine)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("ALTER TABLE t MODIFY C2 INT NOT NULL DEFAULT 0", new[] { "id", "C2" }, "rename column c2 to C2")]
    [InlineData("ALTER TABLE t CHANGE c2 C2 INT NOT NULL DEFAULT 0", new[] { "id", "C2" }, "rename column c2 to C2")]
    [InlineData("ALTER TABLE t MODIFY ID INT", new[] { "ID", "c2" }, "rename column id to ID")]
    public void Modify_or_change_takes_the_letter_case_written(string sql, string[] columns, string rename)
    {
        // Before: MODIFY C2 ... over c2 kept c2 (gh-ost's modify-change-case and modify-change-case-pk); MySQL and MariaDB rename it C2.
        var model = new DbTable(
            new TableSchema { Name = "t", Columns = [new ColumnSchema("id", "int(11)", false, AutoIncrement: true), new ColumnSchema("c2", "int(11)", false, "0")], PrimaryKey = ["id"] },
            "_t_swap_new", Dialect(DatabaseEngine.MySql), readOnly: false);

        Assert.Single(OnlineDdlParser.Parse(sql, DatabaseEngine.MySql)!).Apply(model);

        Assert.Equal(columns, model.Columns.Select(c => c.Name));
        Assert.Contains(rename, model.Changes);
        Assert.Equal([columns[0]], model.PrimaryKey);
        var diff = Swap.Instant.TableDiff.Of(model, Dialect(DatabaseEngine.MySql));
        Assert.Equal(rename.Split(' ')[2], Assert.Single(diff.Renamed).OriginalName);
    }

    private static Swap.Dialects.SqlDialect Dialect(DatabaseEngine engine) => engine switch
    {
        DatabaseEngine.PostgreSql => new Swap.PostgreSql.PostgresDatabase(DatabaseUrl.Parse("postgres://swap@localhost/app")).Dialect,
        DatabaseEngine.MySql => new Swap.MySql.MySqlDatabase(DatabaseUrl.Parse("mysql://swap@localhost/app")).Dialect,
        _ => new Swap.Sqlite.SqliteDatabase(DatabaseUrl.Parse("sqlite:app.db")).Dialect,
    };
}
