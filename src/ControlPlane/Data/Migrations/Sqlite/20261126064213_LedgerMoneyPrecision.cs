using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gateway.ControlPlane.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LedgerMoneyPrecision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Ledger amounts move from decimal(18,6) to decimal(28,12): on SQLite the columns
            // stay integers and change unit, micro-units to pico-units.
            migrationBuilder.Sql("UPDATE \"UsageLedger\" SET \"Cost\" = \"Cost\" * 1000000;");
            migrationBuilder.Sql("UPDATE \"UsageHourly\" SET \"Cost\" = \"Cost\" * 1000000;");
            migrationBuilder.Sql("UPDATE \"StatementLines\" SET \"Cost\" = \"Cost\" * 1000000;");
            migrationBuilder.Sql("UPDATE \"Adjustments\" SET \"Amount\" = \"Amount\" * 1000000;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"UsageLedger\" SET \"Cost\" = \"Cost\" / 1000000;");
            migrationBuilder.Sql("UPDATE \"UsageHourly\" SET \"Cost\" = \"Cost\" / 1000000;");
            migrationBuilder.Sql("UPDATE \"StatementLines\" SET \"Cost\" = \"Cost\" / 1000000;");
            migrationBuilder.Sql("UPDATE \"Adjustments\" SET \"Amount\" = \"Amount\" / 1000000;");
        }
    }
}
