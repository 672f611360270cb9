using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DockerDash.Data.Migrations
{
    /// <inheritdoc />
    public partial class AlertRepeats : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CooldownMinutes",
                table: "AlertRules",
                type: "INTEGER",
                nullable: false,
                defaultValue: 15);

            migrationBuilder.AddColumn<int>(
                name: "Count",
                table: "AlertFirings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastFiredAt",
                table: "AlertFirings",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CooldownMinutes",
                table: "AlertRules");

            migrationBuilder.DropColumn(
                name: "Count",
                table: "AlertFirings");

            migrationBuilder.DropColumn(
                name: "LastFiredAt",
                table: "AlertFirings");
        }
    }
}
