using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DockerDash.Data.Migrations
{
    /// <inheritdoc />
    public partial class EngineDownAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ForSeconds",
                table: "AlertRules",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "MutedUntil",
                table: "AlertRules",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ResolvedAt",
                table: "AlertFirings",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ForSeconds",
                table: "AlertRules");

            migrationBuilder.DropColumn(
                name: "MutedUntil",
                table: "AlertRules");

            migrationBuilder.DropColumn(
                name: "ResolvedAt",
                table: "AlertFirings");
        }
    }
}
