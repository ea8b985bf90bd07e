using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.ControlPlane.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class KeyLastUse : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_UsageLedger_KeyId_Timestamp",
                table: "UsageLedger",
                columns: new[] { "KeyId", "Timestamp" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UsageLedger_KeyId_Timestamp",
                table: "UsageLedger");
        }
    }
}
