namespace Swap.Dialects;

/// <summary>Lexical rules the statement splitter needs to find statement ends.</summary>
/// <param name="BackslashEscapes">Backslash escapes a quote inside string literals (MySQL).</param>
/// <param name="HashComments"><c>#</c> starts a line comment (MySQL).</param>
/// <param name="DollarQuotes"><c>$tag$ … $tag$</c> strings (PostgreSQL).</param>
/// <param name="BacktickIdentifiers"><c>`name`</c> identifiers (MySQL, SQLite).</param>
/// <param name="DelimiterCommand">The client-side <c>DELIMITER</c> command changes the terminator (MySQL).</param>
/// <param name="TriggerBodies"><c>CREATE TRIGGER … BEGIN … END</c> bodies hold semicolons (SQLite).</param>
/// <param name="NestedBlockComments">Block comments nest (PostgreSQL).</param>
/// <param name="EscapeStrings"><c>E'…'</c> strings take backslash escapes even where plain strings do not (PostgreSQL).</param>
/// <param name="AtomicBodies"><c>CREATE FUNCTION … BEGIN ATOMIC … END</c> bodies hold semicolons (PostgreSQL 14+).</param>
/// <param name="ExecutableComments"><c>/*! … */</c> and <c>/*M! … */</c> are code the server runs, not comments
/// (MySQL, MariaDB): one that starts a statement is that statement, as in <c>mysqldump</c> output.</param>
internal sealed record SqlSyntax(
    bool BackslashEscapes,
    bool HashComments,
    bool DollarQuotes,
    bool BacktickIdentifiers,
    bool DelimiterCommand,
    bool TriggerBodies,
    bool NestedBlockComments,
    bool EscapeStrings = false,
    bool AtomicBodies = false,
    bool ExecutableComments = false);
