using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DockerDash.Data.Migrations.PostgreSQL
{
    /// <inheritdoc />
    public partial class JobOutcomes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "JobOutcomes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Title = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Engine = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    OwnerKey = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Started = table.Column<long>(type: "bigint", nullable: false),
                    Finished = table.Column<long>(type: "bigint", nullable: false),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobOutcomes", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_JobOutcomes_Finished",
                table: "JobOutcomes",
                column: "Finished");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "JobOutcomes");
        }
    }
}
