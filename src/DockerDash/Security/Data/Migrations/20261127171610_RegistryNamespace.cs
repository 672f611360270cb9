using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DockerDash.Security.Data.Migrations
{
    /// <inheritdoc />
    public partial class RegistryNamespace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Namespace",
                table: "Registries",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Namespace",
                table: "Registries");
        }
    }
}
