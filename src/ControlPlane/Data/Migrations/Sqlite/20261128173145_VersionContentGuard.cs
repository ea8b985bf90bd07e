using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.ControlPlane.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class VersionContentGuard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ContentGuard",
                table: "ModelVersions",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ContentGuard",
                table: "ModelVersions");
        }
    }
}
