using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

#pragma warning disable CA1812, SA1402, SA1649 // entity shapes read by 'generate', never instantiated

namespace Swap.IntegrationTests.Authoring.GenerateV1
{
    /// <summary>The first version of the entity.</summary>
    [Table("members")]
    [TableIndex("email", Unique = true)]
    public sealed class Member
    {
        [Key]
        [Column("id")]
        public long Id { get; set; }

        [Required]
        [MaxLength(200)]
        [Column("email")]
        public string Email { get; set; } = "";

        [MaxLength(100)]
        [Column("name")]
        public string? Name { get; set; }

        [Column("joined")]
        public DateTime Joined { get; set; }

        [MaxLength(20)]
        [Column("status")]
        public string? Status { get; set; }

        [NotMapped]
        public string Display => Name ?? Email;
    }

    [Table("teams")]
    public sealed class Team
    {
        [Column("id")]
        public int Id { get; set; }

        [Required]
        [MaxLength(40)]
        [Column("name")]
        public string Name { get; set; } = "";
    }
}

namespace Swap.IntegrationTests.Authoring.GenerateV2
{
    public enum Level
    {
        Bronze,
        Gold,
    }

    /// <summary>The second version: a rename (declared), a dropped and two added columns, a wider type, a new index, a new table.</summary>
    [Table("members")]
    [TableIndex("email", Unique = true)]
    [TableIndex("nick")]
    public sealed class Member
    {
        [Key]
        [Column("id")]
        public long Id { get; set; }

        [Required]
        [MaxLength(250)]
        [Column("email")]
        public string Email { get; set; } = "";

        [MaxLength(100)]
        [Column("display_name")]
        [RenamedFrom("name")]
        public string? DisplayName { get; set; }

        [Column("joined")]
        public DateTime Joined { get; set; }

        [MaxLength(50)]
        [Column("nick")]
        public string? Nick { get; set; }

        [Column("score")]
        public int Score { get; set; }

        /// <summary>A new key column and its navigation: a foreign key added to an existing table.</summary>
        [Column("team_id")]
        public int? TeamId { get; set; }

        public Team? Team { get; set; }
    }

    [Table("teams")]
    public sealed class Team
    {
        [Column("id")]
        public int Id { get; set; }

        [Required]
        [MaxLength(40)]
        [Column("name")]
        public string Name { get; set; } = "";
    }

    [Table("badges")]
    public sealed class Badge
    {
        [Key]
        [Column("member_id", Order = 0)]
        public long MemberId { get; set; }

        [Key]
        [Column("code", Order = 1)]
        [MaxLength(20)]
        public string Code { get; set; } = "";

        [Column("level")]
        public Level Level { get; set; }

        [Column("note", TypeName = "VARCHAR(30)")]
        public string? Note { get; set; }

        /// <summary>A navigation named by [ForeignKey] on the key property: a foreign key in a new table.</summary>
        [ForeignKey(nameof(MemberId))]
        [OnDelete("CASCADE")]
        public Member Owner { get; set; } = null!;
    }
}

namespace Swap.IntegrationTests.Authoring.GenerateChecks
{
    public enum Tier
    {
        Bronze,
        Gold,
    }

    /// <summary>The first version's member with an enum and a boolean column added: types PostgreSQL and SQLite keep with a CHECK.</summary>
    [Table("members")]
    [TableIndex("email", Unique = true)]
    public sealed class Member
    {
        [Key]
        [Column("id")]
        public long Id { get; set; }

        [Required]
        [MaxLength(200)]
        [Column("email")]
        public string Email { get; set; } = "";

        [MaxLength(100)]
        [Column("name")]
        public string? Name { get; set; }

        [Column("joined")]
        public DateTime Joined { get; set; }

        [MaxLength(20)]
        [Column("status")]
        public string? Status { get; set; }

        [Column("tier")]
        public Tier Tier { get; set; }

        [Column("active")]
        public bool Active { get; set; }
    }

    [Table("teams")]
    public sealed class Team
    {
        [Column("id")]
        public int Id { get; set; }

        [Required]
        [MaxLength(40)]
        [Column("name")]
        public string Name { get; set; } = "";
    }
}
