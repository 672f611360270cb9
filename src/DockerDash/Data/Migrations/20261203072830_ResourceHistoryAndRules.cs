using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DockerDash.Data.Migrations
{
    /// <inheritdoc />
    public partial class ResourceHistoryAndRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Pattern",
                table: "AlertRules",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ThresholdPercent",
                table: "AlertRules",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.CreateTable(
                name: "HistorySeries",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Engine = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ContainerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Project = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HistorySeries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "HistoryPoints",
                columns: table => new
                {
                    SeriesId = table.Column<int>(type: "INTEGER", nullable: false),
                    Resolution = table.Column<byte>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    CpuPercent = table.Column<double>(type: "REAL", nullable: false),
                    MemoryBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    MemoryLimitBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    NetRxBytesPerSec = table.Column<double>(type: "REAL", nullable: false),
                    NetTxBytesPerSec = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HistoryPoints", x => new { x.SeriesId, x.Resolution, x.At });
                    table.ForeignKey(
                        name: "FK_HistoryPoints_HistorySeries_SeriesId",
                        column: x => x.SeriesId,
                        principalTable: "HistorySeries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_HistoryPoints_Resolution_At",
                table: "HistoryPoints",
                columns: new[] { "Resolution", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_HistorySeries_Engine_ContainerId",
                table: "HistorySeries",
                columns: new[] { "Engine", "ContainerId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HistoryPoints");

            migrationBuilder.DropTable(
                name: "HistorySeries");

            migrationBuilder.DropColumn(
                name: "Pattern",
                table: "AlertRules");

            migrationBuilder.DropColumn(
                name: "ThresholdPercent",
                table: "AlertRules");
        }
    }
}
