import { shownAmount, Table } from '../web/components';
import { reportingPageMessages as words } from './messages';

/** Each class of units with its number, its NAV and its NAV per unit (six decimals), under its heading. */
export function ClassNavs(props: {
  classes: readonly { classCode: string; units: number; nav: string; navPerUnit: string }[];
}) {
  return (
    <>
      <h2>{words.classesTitle}</h2>
      <Table headers={Object.values(words.classColumns)}>
        {props.classes.map((one) => (
          <tr key={one.classCode}>
            <td>{one.classCode}</td>
            <td class="amount">{one.units}</td>
            <td class="amount">{shownAmount(one.nav)}</td>
            <td class="amount">{`${one.navPerUnit.replace('.', ',')} €`}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}
