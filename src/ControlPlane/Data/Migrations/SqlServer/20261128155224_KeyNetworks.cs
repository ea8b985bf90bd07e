using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.ControlPlane.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class KeyNetworks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AllowedNetworks",
                table: "ApiKeys",
                type: "nvarchar(1024)",
                maxLength: 1024,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AllowedNetworks",
                table: "ApiKeys");
        }
    }
}
