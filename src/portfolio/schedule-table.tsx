import { shownAmount, shownDate, Table } from '../web/components';
import { portfolioPageMessages as words } from './messages';

/** An instrument's schedule: each due date with the capital outstanding, the interest and the capital repaid. */
export function ScheduleTable(props: {
  schedule: readonly { number: number; dueOn: string; outstanding: string; interest: string; principal: string }[];
}) {
  return (
    <Table headers={Object.values(words.scheduleColumns)}>
      {props.schedule.map((line) => (
        <tr key={line.number}>
          <td>{words.numbered(line.number)}</td>
          <td>{shownDate(line.dueOn)}</td>
          <td class="amount">{shownAmount(line.outstanding)}</td>
          <td class="amount">{shownAmount(line.interest)}</td>
          <td class="amount">{shownAmount(line.principal)}</td>
        </tr>
      ))}
    </Table>
  );
}
